package dev.runlog.tracking.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunPage;
import dev.runlog.tracking.RunQuery;
import dev.runlog.tracking.Tracker;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Runs ordered by a metric that some runs lack or hold as NaN, with no filter on it, read page by
 * page: the runs holding a number come first in value order, then NaN, then the runs without it,
 * whichever page boundary falls where (a store may read the numbers through a faster plan).
 */
public interface MetricOrderPagingContract {

    @Test
    @DisplayName("Pages ordered by a metric: numbers in order (±Infinity included), then NaN, then runs without it")
    default void metricOrderAcrossPagesWithNaNAndMissing(Tracker tracker) {
        double[] values = {3, 1, Double.NEGATIVE_INFINITY, Double.NaN, 2, Double.POSITIVE_INFINITY};
        List<String> ids = new ArrayList<>();
        for (double v : values) {
            ids.add(tracker.run("mix", r -> r.logMetric("m", v).logParam("p", "x")).info().id());
        }
        Set<String> missing = Set.of(tracker.run("mix", r -> r.logParam("p", "x")).info().id(),
                tracker.run("mix", r -> r.logParam("p", "x")).info().id());
        tracker.run("mix", r -> r.logMetric("m", 0.5).logParam("p", "y"));

        for (int size = 1; size <= 4; size++) {
            int pageSize = size;
            List<String> desc = pages(() -> tracker.searchRuns().experiments("mix").filter("params.p = 'x'")
                    .orderBy("metrics.m DESC").maxResults(pageSize));
            List<String> asc = pages(() -> tracker.searchRuns().experiments("mix").filter("params.p = 'x'")
                    .orderBy("metrics.m ASC").maxResults(pageSize));

            assertEquals(List.of(ids.get(5), ids.get(0), ids.get(4), ids.get(1), ids.get(2), ids.get(3)),
                    desc.subList(0, 6), "page size " + size);
            assertEquals(List.of(ids.get(2), ids.get(1), ids.get(4), ids.get(0), ids.get(5), ids.get(3)),
                    asc.subList(0, 6), "page size " + size);
            assertEquals(missing, Set.copyOf(desc.subList(6, desc.size())), "page size " + size);
            assertEquals(missing, Set.copyOf(asc.subList(6, asc.size())), "page size " + size);
        }
        assertEquals(9, pages(() -> tracker.searchRuns().experiments("mix").orderBy("metrics.m DESC").maxResults(3)).size());
    }

    @Test
    @DisplayName("A forged token continuing after NaN or a missing value of a metric the filter requires ends the search or is refused as InvalidInputException")
    default void forgedTokenAfterAValueNoMatchHas(Tracker tracker) {
        for (int i = 0; i < 3; i++) {
            double value = i;
            tracker.run("forged", r -> r.logMetric("acc", 0.5 + value));
        }
        Supplier<RunQuery> query = () -> tracker.searchRuns().experiments("forged").filter("metrics.acc > 0.1")
                .orderBy("metrics.acc DESC").maxResults(1);
        String token = query.get().page().nextPageToken().orElseThrow();
        String json = new String(java.util.Base64.getUrlDecoder().decode(token), java.nio.charset.StandardCharsets.UTF_8);
        for (String forged : List.of("NaN", "null")) {
            String changed = json.replaceFirst("\"v\":\\[[^\\]]*\\]", "\"v\":[" + forged + "]");
            assertEquals(false, changed.equals(json), json);
            String forgedToken = java.util.Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(changed.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            try {
                assertEquals(List.of(), query.get().pageToken(forgedToken).page().runs(), forged);
            } catch (dev.runlog.tracking.InvalidInputException refused) {
                assertEquals(true, refused.getMessage().contains("token"), refused.getMessage());
            }
        }
    }

    /** Every run of the query, following page tokens. */
    private static List<String> pages(Supplier<RunQuery> query) {
        List<String> ids = new ArrayList<>();
        String token = null;
        do {
            RunQuery q = query.get();
            if (token != null) {
                q.pageToken(token);
            }
            RunPage page = q.page();
            page.runs().stream().map(Run::info).forEach(info -> ids.add(info.id()));
            token = page.nextPageToken().orElse(null);
            // Bounded: a store that ignores the cursor hands out the first page again and again.
            assertTrue(ids.size() <= 1_000, "paging does not end: a store that ignores the page cursor returns the"
                    + " same runs on every page; seen so far " + ids.subList(0, Math.min(ids.size(), 10)) + "...");
        } while (token != null);
        return ids;
    }
}
