package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.KitAssertions.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.Dataset;
import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.InvalidFilterException;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.Tracker;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile input: filters nested or long enough to break a parser or an SQL engine, text that is
 * not valid Unicode, artifact path segments no file system takes. Every store answers the same
 * way: the largest allowed filters work, anything past a limit is rejected naming the limit.
 */
public interface HostileInputContract {

    int MAX_NESTING = 100;
    int MAX_CONDITIONS = 2_000;
    int MAX_IN_VALUES = 50_000;

    /** Runs with metric m = 0..4 and param p = 'r0'..'r4', by m. */
    private List<String> fiveRuns(StoreHarness kit) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            try (ActiveRun run = kit.tracker().startRun("hostile")) {
                run.logMetric("m", i).logParam("p", "r" + i).setTag("t", "v" + i);
                ids.add(run.id());
            }
        }
        return ids;
    }

    private List<String> matching(StoreHarness kit, String filter) {
        return kit.tracker().searchRuns().filter(filter).orderBy("metrics.m").list().stream().map(r -> r.info().id()).toList();
    }

    /** {@code count} conditions that hold for every run, on metrics, params and tags in turn, joined by {@code op}. */
    private static String alwaysTrue(int count, String op) {
        return java.util.stream.IntStream.range(0, count).mapToObj(i -> switch (i % 3) {
            case 0 -> "metrics.m != -" + (i + 1);
            case 1 -> "params.p != 'x" + i + "'";
            default -> "tags.t != 'x" + i + "'";
        }).collect(Collectors.joining(" " + op + " "));
    }

    private static String neverTrue(int count, String op) {
        return java.util.stream.IntStream.range(0, count).mapToObj(i -> i % 2 == 0 ? "metrics.m = -" + (i + 1) : "params.p = 'x" + i + "'")
                .collect(Collectors.joining(" " + op + " "));
    }

    /** Runs and experiments alike reject the filter; on experiments, run fields read as {@code name}. */
    private void assertRejected(StoreHarness kit, String filter, String limit) {
        InvalidFilterException e = assertThrows(InvalidFilterException.class, () -> kit.tracker().searchRuns().filter(filter).list());
        assertTrue(e.getMessage().contains(limit), e.getMessage());
        String onExperiment = filter.replaceAll("metrics\\.m [!=<>]+ -?\\d+", "name = 'n'").replaceAll("(params|tags)\\.[pt]", "name");
        InvalidFilterException onExperiments = assertThrows(InvalidFilterException.class,
                () -> kit.tracker().searchExperiments().filter(onExperiment).list());
        assertTrue(onExperiments.getMessage().contains(limit), onExperiments.getMessage());
    }

    private static String inList(int filler, String... real) {
        return java.util.stream.Stream.concat(java.util.stream.IntStream.range(0, filler).mapToObj(i -> "'x" + i + "'"),
                Arrays.stream(real).map(v -> "'" + v + "'")).collect(Collectors.joining(", "));
    }

    @Test
    @DisplayName("2,000 conditions joined by AND or by OR, and IN lists of 50,000 values, answer on every store")
    default void largestAllowedFiltersAnswer(Tracker tracker, StoreHarness kit) {
        List<String> ids = fiveRuns(kit);
        assertEquals(ids.subList(2, 5), matching(kit, alwaysTrue(MAX_CONDITIONS - 1, "AND") + " AND metrics.m > 1"));
        assertEquals(List.of(ids.get(3)), matching(kit, neverTrue(MAX_CONDITIONS - 1, "OR") + " OR params.p = 'r3'"));
        assertEquals(List.of(ids.get(1), ids.get(4)), matching(kit, alwaysTrue(MAX_CONDITIONS - 1, "AND")
                + " AND params.p IN (" + inList(MAX_IN_VALUES - 2, "r1", "r4") + ")"));
        List.of("e0", "e1", "e2").forEach(tracker::createExperiment);
        assertEquals(List.of("e1"), tracker.searchExperiments().filter(java.util.stream.IntStream.range(0, MAX_CONDITIONS - 1)
                        .mapToObj(i -> "name = 'x" + i + "'").collect(Collectors.joining(" OR ")) + " OR name = 'e1'")
                .list().stream().map(Experiment::name).toList());
    }

    @Test
    @DisplayName("parentheses and NOT nested 100 levels deep answer on every store")
    default void deepestAllowedNestingAnswers(StoreHarness kit) {
        List<String> ids = fiveRuns(kit);
        // Alternating AND and OR at every level, so no store can flatten the nesting away.
        StringBuilder filter = new StringBuilder("metrics.m > 2");
        for (int level = 1; level < MAX_NESTING; level++) {
            filter.insert(0, "metrics.m > -" + level + (level % 2 == 0 ? " AND (" : " OR (")).append(")");
        }
        assertEquals(ids, matching(kit, filter.toString()), "the outermost OR holds for every run");
        String nots = "NOT ".repeat(MAX_NESTING) + "metrics.m > 2";
        assertEquals(ids.subList(3, 5), matching(kit, nots), "an even number of NOTs cancels out");
        assertEquals(ids.subList(0, 3), matching(kit, "NOT " + "(".repeat(MAX_NESTING - 1) + "metrics.m > 2" + ")".repeat(MAX_NESTING - 1)));
    }

    @Test
    @DisplayName("a filter over 2,000 conditions or 50,000 IN values is an InvalidFilterException naming the limit")
    default void tooManyConditions(StoreHarness kit) {
        fiveRuns(kit);
        assertRejected(kit, alwaysTrue(MAX_CONDITIONS + 1, "AND"), "2000");
        assertRejected(kit, neverTrue(20_000, "OR"), "2000");
        assertRejected(kit, "params.p IN (" + inList(MAX_IN_VALUES + 1) + ")", "50000");
    }

    @ParameterizedTest(name = "{0} levels")
    @ValueSource(ints = {MAX_NESTING + 1, 3_000})
    @DisplayName("nesting deeper than 100 levels is an InvalidFilterException naming the limit, never a StackOverflowError")
    default void tooDeep(int levels, StoreHarness kit) {
        assertRejected(kit, "(".repeat(levels) + "metrics.m > 0" + ")".repeat(levels), "100");
        assertRejected(kit, "NOT ".repeat(levels) + "metrics.m > 0", "100");
        assertRejected(kit, "NOT ".repeat(20_000) + "metrics.m > 0", "100");
    }

    private void refused(String field, org.junit.jupiter.api.function.Executable write) {
        InvalidInputException e = assertThrows(InvalidInputException.class, write, field);
        assertTrue(e.getMessage().contains(field) && e.getMessage().contains("surrogate"), e.getMessage());
    }

    @Test
    @DisplayName("text with an unpaired UTF-16 surrogate is rejected wherever it would be stored, naming the field")
    default void unpairedSurrogatesAreRejected(Tracker tracker) {
        String bad = "x\uD800y";
        ActiveRun run = tracker.startRun("surrogates");
        String expId = run.experimentId();
        refused("experiment name", () -> tracker.createExperiment(bad));
        refused("experiment name", () -> tracker.startRun("y\uDC00"));
        refused("run name", () -> tracker.newRun("surrogates").name(bad).start());
        refused("param key", () -> run.logParam(bad, "v"));
        refused("value of param 'p'", () -> run.logParam("p", bad));
        refused("metric key", () -> run.logMetric(bad, 1.0));
        refused("tag key", () -> run.setTag(bad, "v"));
        refused("value of tag 't'", () -> run.setTag("t", bad));
        refused("value of tag 'e'", () -> tracker.setExperimentTag(expId, "e", bad));
        refused("artifact path", () -> run.logText("text", "dir/" + bad + ".txt"));
        refused("dataset name", () -> run.logInput(new Dataset(bad, "d1", "memory", List.of(),
                new Dataset.Profile(0, Map.of())), "training"));
        InvalidFilterException filter = assertThrows(InvalidFilterException.class,
                () -> tracker.searchRuns().filter("params.p = '" + bad + "'").list());
        assertTrue(filter.getMessage().contains("surrogate"), filter.getMessage());
        assertThrows(InvalidFilterException.class, () -> tracker.searchExperiments().filter("name = '" + bad + "'").list());
        run.close();
        List<String> names = tracker.listExperiments().stream().map(Experiment::name).toList();
        assertFalse(names.contains("x?y") || names.contains("y?"), names::toString);
    }

    @Test
    @DisplayName("valid surrogate pairs (emoji) are stored and found exactly; names differing in them stay distinct")
    default void surrogatePairsRoundTrip(Tracker tracker) {
        String smile = "x\uD83D\uDE00y";
        String wink = "x\uD83D\uDE09y";
        tracker.createExperiment(smile);
        tracker.createExperiment(wink);
        ActiveRun run = tracker.newRun(smile).name(wink).start();
        run.logParam("p", smile).setTag("t", wink);
        run.close();
        Run stored = tracker.getRun(run.id());
        assertEquals(wink, stored.info().name());
        assertEquals(smile, stored.data().params().get("p"));
        assertEquals(wink, stored.data().tags().get("t"));
        assertEquals(2, tracker.listExperiments().stream().map(Experiment::name).filter(n -> n.startsWith("x")).distinct().count());
        assertEquals(List.of(run.id()), tracker.searchRuns().filter("params.p = '" + smile + "'").list().stream()
                .map(r -> r.info().id()).toList());
    }

    @Test
    @DisplayName("an artifact path segment over 255 UTF-8 bytes, or a path over 1,024, is invalid input naming the path and the limit")
    default void pathSegmentLimit(Tracker tracker, StoreHarness kit) {
        ActiveRun run = tracker.startRun("paths");
        String longest = "\u20AC".repeat(85); // 255 bytes in UTF-8, 85 characters
        run.logText("fits", "dir/" + longest);
        assertEquals(List.of("dir/" + longest), tracker.listArtifacts(run.id(), "dir").stream().map(ArtifactEntry::path).toList());
        for (String tooLong : List.of("\u00E9".repeat(128), "a".repeat(300))) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> run.logText("no", "dir/" + tooLong + "/file.txt"));
            assertTrue(e.getMessage().contains("artifact path") && e.getMessage().contains("255"), e.getMessage());
            assertThrows(InvalidInputException.class,
                    () -> run.logArtifact(kit.newFile("f.txt", new byte[] {1}), tooLong));
        }
        // A whole path of 1,024 UTF-8 bytes is stored, one more is refused: the same on every store.
        String deep = ("d".repeat(99) + "/").repeat(10) + "x".repeat(23);
        run.logText("fits", deep + "f");
        InvalidInputException whole = assertThrows(InvalidInputException.class, () -> run.logText("no", deep + "ff"));
        assertTrue(whole.getMessage().contains("1025 UTF-8 bytes") && whole.getMessage().contains("1024"), whole.getMessage());
        InvalidInputException nul = assertThrows(InvalidInputException.class, () -> run.logText("no", "a\0b"));
        assertTrue(nul.getMessage().contains("NUL"), nul.getMessage());
        run.close();
        assertEquals(2, tracker.listArtifacts(run.id(), "").size(), "nothing of the refused writes was stored");
    }

    @Test
    @DisplayName("an id, name or key with a NUL given to a lookup or an edit names nothing stored: not found or invalid input, never a store failure")
    default void nulInALookupIsNotAStoreFailure(Tracker tracker) {
        String id;
        try (ActiveRun run = tracker.startRun("nul")) {
            id = run.id();
        }
        String nul = "a\0b";
        List<Executable> calls = List.of(
                () -> tracker.getRun(nul),
                () -> tracker.getExperimentByName(nul).ifPresent(e -> { throw new AssertionError("found " + e); }),
                () -> tracker.metricHistory(nul, "m"),
                () -> tracker.metricHistory(id, nul),
                () -> tracker.latestMetrics(List.of(nul)),
                () -> tracker.listArtifacts(nul, ""),
                () -> tracker.setTag(nul, "k", "v"),
                () -> tracker.deleteTag(id, nul),
                () -> tracker.deleteRun(nul),
                () -> tracker.runsUsing(nul));
        for (int i = 0; i < calls.size(); i++) {
            try {
                calls.get(i).execute();
            } catch (dev.runlog.tracking.NotFoundException | InvalidInputException expected) {
                // either: nothing stored can hold a NUL
            } catch (Throwable other) {
                throw new AssertionError("call " + i + " with a NUL failed as " + other, other);
            }
        }
        assertEquals(dev.runlog.tracking.RunStatus.FINISHED, tracker.getRun(id).info().status());
    }
}
