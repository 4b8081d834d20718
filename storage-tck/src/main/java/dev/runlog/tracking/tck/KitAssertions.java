package dev.runlog.tracking.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.Tracker;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.function.Executable;

/** Assertions the contracts of both kits share. */
final class KitAssertions {
    private KitAssertions() {
    }

    /**
     * Skips the calling test (a JUnit assumption, reported as skipped) when {@code store} keeps
     * the SPI's default for an optional method, which refuses: the kit checks what a store
     * implements, not that it implements every option.
     */
    static void assumeImplemented(Object store, Class<?> spi, String method, Class<?>... parameters) {
        Class<?> declaring;
        try {
            declaring = store.getClass().getMethod(method, parameters).getDeclaringClass();
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(spi.getName() + " has no method " + method, e);
        }
        org.junit.jupiter.api.Assumptions.assumeFalse(declaring == spi,
                () -> store.getClass().getName() + " keeps the default " + spi.getSimpleName() + "." + method
                        + ", which refuses: this optional part is not checked");
    }

    static Map<String, String> userTags(Run run) {
        return run.data().tags().entrySet().stream()
                .filter(e -> !e.getKey().startsWith("runlog."))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    static void assertMessageContains(Throwable e, String... parts) {
        String message = e.getMessage();
        assertNotNull(message, () -> e.getClass().getName() + " has no message");
        for (String part : parts) {
            assertTrue(message.contains(part), () -> "message should contain '" + part + "': " + message);
        }
    }

    static List<Long> steps(List<Metric> history) {
        return history.stream().map(Metric::step).toList();
    }

    static List<Double> values(List<Metric> history) {
        return history.stream().map(Metric::value).toList();
    }

    /** Every file under an artifact directory of a run, recursively: path relative to {@code dir} to entry. */
    static SortedMap<String, ArtifactEntry> artifactTree(Tracker on, String runId, String dir) {
        SortedMap<String, ArtifactEntry> files = new TreeMap<>();
        String prefix = dir.isEmpty() ? "" : dir + "/";
        Deque<String> pending = new ArrayDeque<>(List.of(dir));
        while (!pending.isEmpty()) {
            for (ArtifactEntry entry : on.listArtifacts(runId, pending.pop())) {
                if (entry.isDirectory()) {
                    pending.push(entry.path());
                } else {
                    assertTrue(entry.path().startsWith(prefix), () -> entry.path() + " is listed under '" + dir + "'");
                    files.put(entry.path().substring(prefix.length()), entry);
                }
            }
        }
        return files;
    }

    /** Path relative to {@code dir} to "size:sha256" of every file under an artifact directory. */
    static SortedMap<String, String> artifactDigests(Tracker on, String runId, String dir) {
        SortedMap<String, String> digests = new TreeMap<>();
        artifactTree(on, runId, dir).forEach((path, entry) -> digests.put(path,
                entry.size() + ":" + entry.sha256().orElse("<no sha256>")));
        return digests;
    }

    static List<String> ids(List<Run> runs) {
        return runs.stream().map(r -> r.info().id()).toList();
    }

    /** Asserts that {@code body} throws {@code type} whose message contains every part; returns it. */
    static <T extends Throwable> T assertThrowsWith(Class<T> type, Executable body, String... parts) {
        T thrown = assertThrows(type, body);
        assertMessageContains(thrown, parts);
        return thrown;
    }

    /**
     * Asserts that {@code write} fails with {@link InvalidInputException} and that {@code run} has no
     * artifact after it: a refused write stores nothing, not even part of itself.
     */
    static void assertRefusedStoringNothing(Tracker tracker, ActiveRun run, Executable write) {
        assertThrows(InvalidInputException.class, write);
        assertEquals(List.of(), tracker.listArtifacts(run.id(), ""));
    }

    /** One page of a search: what it holds and the token of the next page, if there is one. */
    record Page<T>(List<T> items, Optional<String> next) {
    }

    /**
     * Every item of a paged search, following the next-page tokens from none: {@code fetch} gets
     * the token (empty for the first page) and returns the page. Checks that a page with a next
     * token holds exactly {@code size} items, the last at most {@code size}, and that paging ends.
     */
    static <T> List<T> allPages(int size, Function<Optional<String>, Page<T>> fetch) {
        List<T> all = new ArrayList<>();
        Optional<String> token = Optional.empty();
        int pages = 0;
        do {
            Page<T> page = fetch.apply(token);
            token = page.next();
            if (token.isPresent()) {
                assertEquals(size, page.items().size(), "a page with a next token is full");
            } else {
                assertTrue(page.items().size() <= size, "a page holds at most maxResults items");
            }
            all.addAll(page.items());
            assertTrue(++pages <= 200, "paging does not end");
        } while (token.isPresent());
        return all;
    }
}
