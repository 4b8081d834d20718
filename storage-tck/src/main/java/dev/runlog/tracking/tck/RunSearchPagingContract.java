package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.RunSearchFixture.names;
import static dev.runlog.tracking.tck.RunSearchFixture.query;
import static dev.runlog.tracking.tck.RunSearchFixture.allPages;
import static dev.runlog.tracking.tck.KitAssertions.assertMessageContains;
import static dev.runlog.tracking.tck.KitAssertions.ids;
import static dev.runlog.tracking.tck.KitAssertions.values;
import static dev.runlog.tracking.tck.KitData.START;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.RunPage;
import dev.runlog.tracking.RunQuery;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.ViewType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Run search, pages: page tokens, page sizes and the order of pages, against the {@link RunSearchFixture}. */
public interface RunSearchPagingContract extends RunSearchFixture {

    static Stream<Arguments> pagingOrders() {
        return Stream.of("", "metrics.acc DESC", "metrics.acc ASC", "params.opt|start_time DESC",
                        "tags.team DESC|metrics.loss", "end_time", "end_time DESC|metrics.acc", "run_name DESC",
                        "user_id|end_time DESC", "metrics.nosuch", "status|params.lr DESC|metrics.acc", "created ASC",
                        "artifact_uri DESC", "metrics.f1|tags.team DESC|run_id")
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "order <{0}>")
    @MethodSource("dev.runlog.tracking.tck.RunSearchPagingContract#pagingOrders")
    @DisplayName("collecting every page equals list(), for page sizes 1, 2, 3, 5, 16 and 17, with and without deleted runs")
    default void pagesEqualList(String order, StoreHarness kit) {
        for (ViewType view : ViewType.values()) {
            java.util.function.Supplier<RunQuery> query = () -> query(kit, "", order).viewType(view);
            List<String> all = names(query.get().list());
            assertEquals(view == ViewType.ALL ? 16 : view == ViewType.ACTIVE_ONLY ? 15 : 1, all.size());
            assertEquals(all, names(query.get().stream().toList()), "stream()");
            for (int size : new int[] {1, 2, 3, 5, 16, 17}) {
                assertEquals(all, names(allPages(query, size)), view + ", pages of " + size);
            }
        }
    }

    @ParameterizedTest(name = "order <{0}>")
    @MethodSource("dev.runlog.tracking.tck.RunSearchPagingContract#pagingOrders")
    @DisplayName("with a filter, collecting every page equals list(), which holds exactly the matching runs")
    default void filteredPagesEqualList(String order, Tracker tracker, StoreHarness kit) {
        for (String filter : List.of("metrics.acc IS NOT NULL AND NOT params.opt = 'sgd'",
                "metrics.acc > -1e999 OR params.opt = 'sgd'")) {
            for (ViewType view : List.of(ViewType.ACTIVE_ONLY, ViewType.ALL)) {
                java.util.function.Supplier<RunQuery> filtered = () -> query(kit, filter, order).viewType(view);
                List<String> some = names(filtered.get().list());
                assertEquals(new HashSet<>(names(tracker.searchRuns().viewType(view).filter(filter).list())),
                        new HashSet<>(some), filter + ": the order changes nothing but the order");
                for (int size : new int[] {1, 2, 4}) {
                    assertEquals(some, names(allPages(filtered, size)), filter + ", " + view + ", pages of " + size);
                }
            }
        }
    }

    @ParameterizedTest(name = "then order <{0}>")
    @MethodSource("dev.runlog.tracking.tck.RunSearchPagingContract#pagingOrders")
    @DisplayName("ordered first by a metric the filter requires: every page equals list(), which equals the general plan's order")
    default void metricDrivenPagesEqualList(String order, StoreHarness kit) {
        for (String driving : List.of("metrics.acc >= -1e999", "metrics.acc > 0 AND params.opt = 'adam'",
                "metrics.acc <= 1 AND metrics.acc >= 0", "metrics.acc = 0")) {
            String clauses = "metrics.acc DESC" + (order.isBlank() ? "" : "|" + order);
            java.util.function.Supplier<RunQuery> query = () -> query(kit, driving, clauses);
            List<String> all = names(query.get().list());
            // The same condition under NOT NOT cannot drive the plan: the order must be the same.
            assertEquals(names(query(kit, "NOT NOT (" + driving + ")", clauses).list()), all, driving);
            for (int size : new int[] {1, 2, 3}) {
                assertEquals(all, names(allPages(query, size)), driving + ", pages of " + size);
            }
        }
    }

    @Test
    @DisplayName("stream() reads the same runs as list(), lazily, and page() stops after maxResults with a token")
    default void streamAndPage(Tracker tracker, StoreHarness kit) {
        for (String order : List.of("", "metrics.acc DESC", "params.opt|run_name")) {
            assertEquals(names(query(kit, "", order).list()), names(query(kit, "", order).stream().toList()));
            assertEquals(names(query(kit, "", order).list()).subList(0, 3), names(query(kit, "", order).stream().limit(3).toList()));
        }
        RunPage first = tracker.searchRuns().maxResults(4).page();
        assertEquals(List.of("r16", "r15", "r14", "r12"), names(first.runs()));
        assertTrue(first.nextPageToken().isPresent());
        RunPage second = tracker.searchRuns().maxResults(4).pageToken(first.nextPageToken().get()).page();
        assertEquals(List.of("r11", "r10", "r09", "r08"), names(second.runs()));
        assertEquals(List.of("r07", "r06", "r05", "r04", "r03", "r02", "r01"),
                names(tracker.searchRuns().maxResults(4).pageToken(second.nextPageToken().orElseThrow()).list()),
                "list() after a token reads every later run");
        RunPage exact = tracker.searchRuns().maxResults(15).page();
        assertEquals(15, exact.runs().size());
        assertEquals(Optional.empty(), exact.nextPageToken(), "no token when the page holds the last run");
        RunPage none = tracker.searchRuns().filter("params.opt = 'none'").page();
        assertEquals(List.of(), none.runs());
        assertEquals(Optional.empty(), none.nextPageToken());
    }

    @Test
    @DisplayName("maxResults must be 1 to 50,000: 0, -1, 50,001 fail with InvalidInputException")
    default void maxResultsBounds(Tracker tracker) {
        for (int bad : new int[] {0, -1, 50_001, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            assertThrows(InvalidInputException.class, () -> tracker.searchRuns().maxResults(bad).page(), "maxResults " + bad);
            assertThrows(InvalidInputException.class, () -> tracker.searchExperiments().maxResults(bad).page(), "maxResults " + bad);
        }
        assertEquals(1, tracker.searchRuns().maxResults(1).page().runs().size());
        assertEquals(15, tracker.searchRuns().maxResults(50_000).page().runs().size());
        assertEquals(3, tracker.searchExperiments().maxResults(50_000).page().experiments().size());
    }

    @Test
    @DisplayName("a page token continues only its own query: another filter, order, scope, view or entity fails with InvalidInputException")
    default void tokenOfAnotherQuery(Tracker tracker) {
        java.util.function.Supplier<RunQuery> adam = () -> tracker.searchRuns().filter("params.opt = 'adam'");
        RunPage first = adam.get().maxResults(2).page();
        assertEquals(List.of("r16", "r14"), names(first.runs()));
        String token = first.nextPageToken().orElseThrow();
        assertEquals(List.of("r12", "r10"), names(adam.get().maxResults(2).pageToken(token).page().runs()));
        assertEquals(List.of("r12", "r10", "r08", "r01"), names(adam.get().maxResults(10).pageToken(token).page().runs()),
                "the page size may change between pages");
        assertAll(
                () -> assertThrows(InvalidInputException.class,
                        () -> tracker.searchRuns().filter("params.opt = 'sgd'").pageToken(token).page(), "other filter"),
                () -> assertThrows(InvalidInputException.class,
                        () -> tracker.searchRuns().pageToken(token).page(), "no filter"),
                () -> assertThrows(InvalidInputException.class,
                        () -> adam.get().orderBy("run_name").pageToken(token).page(), "other order"),
                () -> assertThrows(InvalidInputException.class,
                        () -> adam.get().experiments(ALPHA).pageToken(token).page(), "other experiments"),
                () -> assertThrows(InvalidInputException.class,
                        () -> adam.get().viewType(ViewType.ALL).pageToken(token).page(), "other view"),
                () -> assertThrows(InvalidInputException.class,
                        () -> tracker.searchRuns().filter("params.opt = 'ADAM'").pageToken(token).list(), "list() checks the token too"),
                () -> assertThrows(InvalidInputException.class,
                        () -> adam.get().filter("params.opt = 'sgd'").pageToken(token).stream().toList(), "stream() too"),
                () -> assertThrows(InvalidInputException.class,
                        () -> tracker.searchExperiments().pageToken(token).page(), "an experiment search"));
    }

    private static String base64(String json) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("a garbage page token fails with InvalidInputException; an empty one is the first page, as in MLflow")
    default void garbageTokens(Tracker tracker) {
        String token = tracker.searchRuns().maxResults(3).page().nextPageToken().orElseThrow();
        assertEquals(tracker.searchRuns().maxResults(3).page().runs(), tracker.searchRuns().maxResults(3).pageToken("").page().runs());
        assertEquals(tracker.searchExperiments().page().experiments(), tracker.searchExperiments().pageToken("").page().experiments());
        for (String json : List.of("{}", "[1]", "null", "\"x\"", "{\"q\":1,\"id\":2,\"v\":3}")) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> tracker.searchRuns().maxResults(3).pageToken(base64(json)).page());
            assertMessageContains(e, "malformed");
        }
        List<String> garbage = List.of("garbage", " ", "!!!", "%00", "null", base64("{}"), base64("[]"), base64("null"),
                base64("\"x\""), base64("{\"q\":1,\"id\":2,\"v\":3}"), token.substring(0, token.length() / 2),
                new StringBuilder(token).reverse().toString(), "x" + token);
        for (String bad : garbage) {
            assertThrows(InvalidInputException.class, () -> tracker.searchRuns().maxResults(3).pageToken(bad).page(),
                    () -> "token '" + bad + "'");
            assertThrows(InvalidInputException.class, () -> tracker.searchExperiments().pageToken(bad).page(),
                    () -> "experiment token '" + bad + "'");
        }
    }

    @Test
    @DisplayName("a token whose position was tampered with fails with InvalidInputException, not another exception")
    default void tamperedTokens(StoreHarness kit) {
        Map<String, List<String>> forgeries = new LinkedHashMap<>();
        // A string where the order key is a number, a number where it is a string, or too many or few values.
        forgeries.put("", List.of("[\"later\"]", "[true]", "[{}]", "[[1]]", "[1.0, 2.0]", "[]"));
        forgeries.put("metrics.acc DESC", List.of("[\"later\"]", "[true]", "[{}]", "[1.0, 2.0]"));
        forgeries.put("params.opt", List.of("[1.5]", "[\"adam\", \"x\"]"));
        List<String> problems = new ArrayList<>();
        for (String order : forgeries.keySet()) {
            String token = query(kit, "", order).maxResults(3).page().nextPageToken().orElseThrow();
            String json = new String(java.util.Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            assertTrue(json.contains("\"v\":["), json);
            for (String values : forgeries.get(order)) {
                String forged = base64(json.replaceFirst("\"v\":\\[[^\\]]*]",
                        java.util.regex.Matcher.quoteReplacement("\"v\":" + values)));
                try {
                    RunPage page = query(kit, "", order).maxResults(3).pageToken(forged).page();
                    problems.add("order <" + order + ">, cursor " + values + ": no exception, returned " + names(page.runs()));
                } catch (InvalidInputException expected) {
                    // refused, as it should be
                } catch (RuntimeException e) {
                    problems.add("order <" + order + ">, cursor " + values + ": " + e);
                }
            }
        }
        // A missing value where the order key can never be missing: refused, or an empty page.
        String token = query(kit, "", "").maxResults(3).page().nextPageToken().orElseThrow();
        String json = new String(java.util.Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        String forged = base64(json.replaceFirst("\"v\":\\[[^\\]]*]", "\"v\":[null]"));
        try {
            RunPage page = query(kit, "", "").maxResults(3).pageToken(forged).page();
            if (!page.runs().isEmpty()) {
                problems.add("order <>, cursor [null]: returned " + names(page.runs()) + " after a missing start time");
            }
        } catch (InvalidInputException expected) {
            // refusing the token is as good
        } catch (RuntimeException e) {
            problems.add("order <>, cursor [null]: " + e);
        }
        assertEquals(List.of(), problems, "forged tokens not refused with InvalidInputException");
    }

    @ParameterizedTest(name = "order <{0}>")
    @ValueSource(strings = {"", "metrics.acc DESC", "run_name", "params.opt|start_time DESC", "metrics.acc ASC|run_name DESC",
            "end_time|start_time"})
    @DisplayName("keyset paging: runs added (later and earlier) or deleted between pages are never repeated, and none present throughout is skipped")
    default void keysetStability(String order, Tracker tracker, MutableClock clock, StoreHarness kit) {
        List<String> initial = ids(query(kit, "", order).list());
        Set<String> deletedUnseen = new HashSet<>();
        Map<String, String> addedAfter = new LinkedHashMap<>(); // new run id -> the last run seen when it was added
        List<String> seen = new ArrayList<>();
        Optional<String> token = Optional.empty();
        int page = 0;
        do {
            RunQuery q = query(kit, "", order).maxResults(3);
            token.ifPresent(q::pageToken);
            RunPage p = q.page();
            p.runs().forEach(r -> seen.add(r.info().id()));
            token = p.nextPageToken();
            if (page < 4 && token.isPresent()) {
                String last = seen.get(seen.size() - 1);
                clock.set(START.plusSeconds(300 + page));
                try (ActiveRun late = tracker.newRun(ALPHA).name("n-late-" + page).start()) {
                    late.logMetric("acc", 0.55 + page / 100.0, 0).logParam("opt", "adam");
                    addedAfter.put(late.id(), last);
                }
                clock.set(START.minusSeconds(300 + page));
                try (ActiveRun early = tracker.newRun(BETA).name("z-early-" + page).start()) {
                    early.logMetric("acc", 0.45 - page / 100.0, 0).logParam("opt", "sgd");
                    addedAfter.put(early.id(), last);
                }
                // Delete a run not seen yet: the last one in the initial order.
                for (int i = initial.size() - 1; i >= 0; i--) {
                    if (!seen.contains(initial.get(i)) && !deletedUnseen.contains(initial.get(i))) {
                        tracker.deleteRun(initial.get(i));
                        deletedUnseen.add(initial.get(i));
                        break;
                    }
                }
                if (page == 1) {
                    tracker.deleteRun(last); // the run the token points after
                }
            }
            page++;
            assertTrue(page < 100, "paging does not end");
        } while (token.isPresent());

        assertEquals(seen.size(), new HashSet<>(seen).size(), () -> "a run was returned twice: " + seen);
        for (String id : initial) {
            if (deletedUnseen.contains(id)) {
                assertFalse(seen.contains(id), "a run deleted before its page came is not returned");
            } else {
                assertTrue(seen.contains(id), () -> "run " + tracker.getRun(id).info().name() + " was skipped");
            }
        }
        // Every run in the final order of all runs: a run added after the position paging had
        // reached is returned, one added before it is not; and the runs come in that order.
        List<String> order0 = ids(query(kit, "", order).viewType(ViewType.ALL).list());
        addedAfter.forEach((id, last) -> assertEquals(order0.indexOf(id) > order0.indexOf(last), seen.contains(id),
                () -> "run " + tracker.getRun(id).info().name() + " added after " + tracker.getRun(last).info().name()));
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(order0.indexOf(seen.get(i - 1)) < order0.indexOf(seen.get(i)), "pages come in the search's order");
        }
    }
}
