package dev.runlog.tracking.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.Tracker;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Search by param and tag equality, which a store may answer through an index of (key, value), and
 * by reading first the few runs holding a value: the same runs however many such conditions a filter has,
 * under NOT and OR, on a key a run lacks, on a value longer than such an index may hold, and with
 * a metric driving the order, page after page.
 */
public interface KeyedEqualityContract {

    @Test
    @DisplayName("Equalities on params, tags and user_id: many at once, NOT, OR, missing keys, long values, metric-ordered pages")
    default void equalitiesAnswerAlikeOnEveryPath(Tracker tracker) {
        // Incompressible and 3 bytes a character: some 18,000 bytes, past any B-tree entry.
        Random random = new Random(16);
        String longValue = random.ints(6_000, 0x4E00, 0x9FFF).mapToObj(Character::toString).collect(Collectors.joining());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int n = i;
            ids.add(tracker.run("eq", r -> {
                r.logMetric("m", n).logParam("q", "q" + n).setTag("t", n < 3 ? "lo" : "hi")
                        .logParam("long", n == 4 ? longValue : "short");
                if (n < 5) {
                    r.logParam("p", n % 2 == 0 ? "a" : "b");
                }
            }).info().id());
        }
        String user = tracker.getRun(ids.get(0)).data().tags().get(ActiveRun.USER_TAG);

        assertEquals(List.of(ids.get(0)), matching(tracker, "params.p = 'a' and tags.t = 'lo' and params.q = 'q0'"
                + " and attributes.user_id = '" + user + "' and params.p = 'a' and tags.t = 'lo' and params.long = 'short'"));
        assertEquals(List.of(ids.get(1), ids.get(3), ids.get(5)), matching(tracker, "NOT params.p = 'a'"), "a run without p too");
        assertEquals(List.of(ids.get(1), ids.get(3)), matching(tracker, "params.p = 'b' and NOT tags.t = 'x' and NOT params.none = 'a'"));
        assertEquals(List.of(ids.get(0), ids.get(2), ids.get(3), ids.get(4), ids.get(5)),
                matching(tracker, "params.p = 'a' OR tags.t = 'hi'"));
        assertEquals(List.of(), matching(tracker, "params.none = 'a' or tags.none = 'lo' or params.p = 'c'"));
        assertEquals(List.of(ids.get(4)), matching(tracker, "params.long = '" + longValue + "'"));
        assertEquals(List.of(ids.get(0), ids.get(1), ids.get(2), ids.get(3), ids.get(5)),
                matching(tracker, "params.long = 'short' and attributes.user_id = '" + user + "'"));

        for (int size = 1; size <= 2; size++) {
            int pageSize = size;
            List<String> pages = KitAssertions.ids(RunSearchFixture.allPages(() -> tracker.searchRuns().experiments("eq")
                    .filter("metrics.m >= 0 and params.p = 'a' and tags.t = 'lo' or metrics.m > 3 and params.p = 'a'")
                    .orderBy("metrics.m DESC"), pageSize));
            assertEquals(List.of(ids.get(4), ids.get(2), ids.get(0)), pages, "page size " + size);
            List<String> driven = KitAssertions.ids(RunSearchFixture.allPages(() -> tracker.searchRuns().experiments("eq")
                    .filter("metrics.m >= 1 and params.p = 'a' and params.long = 'short' and tags.t = 'lo'")
                    .orderBy("metrics.m DESC"), pageSize));
            assertEquals(List.of(ids.get(2)), driven, "page size " + size);
        }
        assertEquals(Set.copyOf(ids), Set.copyOf(matching(tracker, "NOT params.none = 'a' and NOT tags.t = 'x'")));
    }

    /** The runs of experiment "eq" matching, by metric m. */
    private static List<String> matching(Tracker tracker, String filter) {
        return KitAssertions.ids(tracker.searchRuns().experiments("eq").filter(filter).orderBy("metrics.m").list());
    }
}
