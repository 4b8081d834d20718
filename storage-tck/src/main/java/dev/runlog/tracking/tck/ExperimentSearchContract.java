package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.KitData.START;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.ExperimentPage;
import dev.runlog.tracking.ExperimentQuery;
import dev.runlog.tracking.InvalidFilterException;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.ViewType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Rule 19: experiment search, by name, tags, times and lifecycle. */
public interface ExperimentSearchContract {

    /** Every active experiment, in the default order: creation_time DESC. */
    String ACTIVE = "rate_50% speech_ctc NLP-gpt nlp-bert cv-vit cv-resnet";
    Pattern PLACEHOLDER = Pattern.compile("\\$\\{(\\w+):([^}]+)}");

    @BeforeEach
    default void buildFixture(Tracker tracker, MutableClock clock, StoreHarness kit) {
        make(kit, "cv-resnet", 0, Map.of("team", "vision", "owner", "ann"));
        make(kit, "cv-vit", 1, Map.of("team", "vision"));
        make(kit, "nlp-bert", 2, Map.of("team", "nlp", "owner", "bob"));
        make(kit, "NLP-gpt", 3, Map.of("team", "nlp"));
        make(kit, "speech_ctc", 4, Map.of());
        make(kit, "tabular-xgb", 5, Map.of("team", "tabular"));
        make(kit, "rate_50%", 6, Map.of("team", "growth"));
        clock.set(START.plusSeconds(10));
        tracker.deleteExperiment(id(kit, "tabular-xgb"));
        clock.set(START.plusSeconds(20));
    }

    private void make(StoreHarness kit, String name, int second, Map<String, String> tags) {
        kit.clock().set(START.plusSeconds(second));
        Experiment experiment = kit.tracker().createExperiment(name);
        tags.forEach((k, v) -> kit.tracker().setExperimentTag(experiment.id(), k, v));
    }

    private String id(StoreHarness kit, String name) {
        return kit.tracker().getExperimentByName(name).orElseThrow().id();
    }

    private String resolve(StoreHarness kit, String filter) {
        java.util.regex.Matcher m = PLACEHOLDER.matcher(filter);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Experiment e = kit.tracker().getExperimentByName(m.group(2)).orElseThrow();
            String value = switch (m.group(1)) {
                case "ctime" -> Long.toString(e.creationTime().toEpochMilli());
                case "eid" -> e.id();
                default -> throw new IllegalArgumentException(m.group(1));
            };
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private ExperimentQuery query(StoreHarness kit, String filter, String order) {
        ExperimentQuery query = kit.tracker().searchExperiments().filter(resolve(kit, filter));
        if (!order.isBlank()) {
            query.orderBy(order.split("\\|"));
        }
        return query;
    }

    private List<String> names(List<Experiment> found) {
        return found.stream().map(Experiment::name).toList();
    }

    private static List<String> list(String names) {
        return names.isBlank() ? List.of() : List.of(names.trim().split("\\s+"));
    }

    private static List<Experiment> allPages(java.util.function.Supplier<ExperimentQuery> query, int size) {
        return KitAssertions.allPages(size, token -> {
            ExperimentQuery q = query.get().maxResults(size);
            token.ifPresent(q::pageToken);
            ExperimentPage page = q.page();
            return new KitAssertions.Page<>(page.experiments(), page.nextPageToken());
        });
    }

    private static Arguments row(String filter, String order, String expected) {
        return Arguments.of(filter, order, expected);
    }

    /** A case with no filter, ordered by {@code order}, that finds every active experiment in {@link #ACTIVE}'s order. */
    private static Arguments everyActive(String order) {
        return row("", order, ACTIVE);
    }

    static Stream<Arguments> experimentCases() {
        return Stream.of(
                everyActive(""),
                row("name = 'cv-vit'", "", "cv-vit"),
                row("attributes.name LIKE 'cv-%'", "", "cv-vit cv-resnet"),
                row("name LIKE 'nlp%'", "", "nlp-bert"),
                row("name ILIKE 'NLP%'", "", "NLP-gpt nlp-bert"),
                row("name != 'cv-vit'", "", "rate_50% speech_ctc NLP-gpt nlp-bert cv-resnet"),
                row("name LIKE 'rate_50%'", "", "rate_50%"),
                row("name LIKE '%\\_%'", "", ""),
                row("name IN ('cv-vit', 'speech_ctc', 'tabular-xgb')", "", "speech_ctc cv-vit"),
                row("attr.name NOT IN ('cv-vit', 'speech_ctc')", "", "rate_50% NLP-gpt nlp-bert cv-resnet"),
                row("experiment_id = '${eid:nlp-bert}'", "", "nlp-bert"),
                row("tags.team = 'vision'", "", "cv-vit cv-resnet"),
                row("tag.team != 'vision'", "", "rate_50% NLP-gpt nlp-bert"),
                row("tags.owner IS NULL", "", "rate_50% speech_ctc NLP-gpt cv-vit"),
                row("tags.owner IS NOT NULL", "", "nlp-bert cv-resnet"),
                row("tags.`team` ILIKE 'NLP' AND tags.\"owner\" IS NULL", "", "NLP-gpt"),
                row("creation_time > ${ctime:cv-vit}", "", "rate_50% speech_ctc NLP-gpt nlp-bert"),
                row("attributes.creation_time <= ${ctime:cv-vit}", "", "cv-vit cv-resnet"),
                row("creation_time = ${ctime:nlp-bert}", "", "nlp-bert"),
                row("creation_time != ${ctime:nlp-bert}", "", "rate_50% speech_ctc NLP-gpt cv-vit cv-resnet"),
                row("creation_time < ${ctime:nlp-bert} OR creation_time >= ${ctime:speech_ctc}", "", "rate_50% speech_ctc cv-vit cv-resnet"),
                row("last_update_time >= ${ctime:NLP-gpt}", "", "rate_50% speech_ctc NLP-gpt"),
                row("tags.team = 'vision' OR name LIKE 'NLP%'", "", "NLP-gpt cv-vit cv-resnet"),
                row("NOT tags.team = 'nlp'", "", "rate_50% speech_ctc cv-vit cv-resnet"),
                row("(name LIKE 'cv%' OR name LIKE 'nlp%') AND NOT tags.owner IS NOT NULL", "", "cv-vit"),
                row("Name like 'CV%' or NAME ilike 'SPEECH%'", "", "speech_ctc"),
                row("name = 'x'' OR ''1''=''1'", "", ""),
                row("tags.`team'; DROP TABLE experiments; --` = 'vision'", "", ""),
                row("", "name", "NLP-gpt cv-resnet cv-vit nlp-bert rate_50% speech_ctc"),
                row("", "name DESC", "speech_ctc rate_50% nlp-bert cv-vit cv-resnet NLP-gpt"),
                row("", "creation_time ASC", "cv-resnet cv-vit nlp-bert NLP-gpt speech_ctc rate_50%"),
                row("", "tags.team DESC|name", "cv-resnet cv-vit NLP-gpt nlp-bert rate_50% speech_ctc"),
                row("", "tags.owner|creation_time DESC", "cv-resnet nlp-bert rate_50% speech_ctc NLP-gpt cv-vit"),
                row("tags.team IS NOT NULL", "last_update_time", "cv-resnet cv-vit nlp-bert NLP-gpt rate_50%"),
                everyActive("attributes.last_update_time DESC"));
    }

    @ParameterizedTest(name = "[{index}] filter <{0}> order <{1}>")
    @MethodSource("dev.runlog.tracking.tck.ExperimentSearchContract#experimentCases")
    @DisplayName("filters and orders give exactly the expected experiments, through list(), page() and pages of 2")
    default void experimentCase(String filter, String order, String expected, StoreHarness kit) {
        List<String> want = list(expected);
        assertEquals(want, names(query(kit, filter, order).list()), () -> "list() for <" + resolve(kit, filter) + "> order <" + order + ">");
        assertAll(
                () -> assertEquals(want, names(query(kit, filter, order).stream().toList()), "stream()"),
                () -> assertEquals(want, names(query(kit, filter, order).page().experiments()), "page()"),
                () -> assertEquals(want, names(allPages(() -> query(kit, filter, order), 2)), "pages of 2"));
    }

    @Test
    @DisplayName("viewType: ACTIVE_ONLY by default, DELETED_ONLY, ALL; deleting sets last_update_time")
    default void viewTypes(Tracker tracker, StoreHarness kit) {
        assertEquals(list(ACTIVE), names(tracker.searchExperiments().list()));
        assertEquals(List.of("tabular-xgb"), names(tracker.searchExperiments().viewType(ViewType.DELETED_ONLY).list()));
        assertEquals(List.of("rate_50%", "tabular-xgb", "speech_ctc", "NLP-gpt", "nlp-bert", "cv-vit", "cv-resnet"),
                names(tracker.searchExperiments().viewType(ViewType.ALL).list()));
        assertEquals(List.of("tabular-xgb"), names(tracker.searchExperiments().viewType(ViewType.ALL)
                .filter(resolve(kit, "last_update_time > ${ctime:rate_50%}")).list()));
        assertEquals(List.of("tabular-xgb"), names(tracker.searchExperiments().viewType(ViewType.ALL)
                .filter("tags.team = 'tabular'").list()));
        assertEquals(List.of(), names(tracker.searchExperiments().filter("tags.team = 'tabular'").list()));
        tracker.restoreExperiment(id(kit, "tabular-xgb"));
        assertEquals(List.of("rate_50%", "tabular-xgb", "speech_ctc", "NLP-gpt", "nlp-bert", "cv-vit", "cv-resnet"),
                names(tracker.searchExperiments().list()));
        assertEquals(List.of(), names(tracker.searchExperiments().viewType(ViewType.DELETED_ONLY).list()));
    }

    @Test
    @DisplayName("collecting every page equals list() for several orders and page sizes")
    default void pagesEqualList(StoreHarness kit) {
        for (String order : List.of("", "name", "name DESC", "tags.team|creation_time DESC", "tags.owner DESC",
                "last_update_time DESC|name", "experiment_id DESC", "experiment_id")) {
            for (ViewType view : ViewType.values()) {
                java.util.function.Supplier<ExperimentQuery> query = () -> query(kit, "", order).viewType(view);
                List<String> all = names(query.get().list());
                for (int size : new int[] {1, 2, 3, 7}) {
                    assertEquals(all, names(allPages(query, size)), order + ", " + view + ", pages of " + size);
                }
            }
        }
    }

    @Test
    @DisplayName("experiments created at the same instant come in id order, compared as numbers, across pages")
    default void tiesByNumericId(Tracker tracker, MutableClock clock) {
        clock.set(START.plusSeconds(30));
        List<String> created = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            created.add(tracker.createExperiment(String.format("same-%02d", i)).name());
        }
        String filter = "creation_time = " + START.plusSeconds(30).toEpochMilli();
        List<String> newestFirst = new ArrayList<>(created);
        java.util.Collections.reverse(newestFirst);
        assertEquals(newestFirst, names(tracker.searchExperiments().filter(filter).list()), "default order: ids descending");
        assertEquals(created, names(tracker.searchExperiments().filter(filter).orderBy("creation_time ASC").list()));
        assertEquals(newestFirst, names(allPages(() -> tracker.searchExperiments().filter(filter), 5)));
        assertEquals(created, names(allPages(() -> tracker.searchExperiments().filter(filter).orderBy("creation_time"), 5)));
        assertEquals(created, names(allPages(() -> tracker.searchExperiments().filter(filter).orderBy("tags.none"), 5)));
    }

    @Test
    @DisplayName("fields runs have and experiments do not fail with InvalidFilterException")
    default void invalidFilters(Tracker tracker) {
        for (String bad : List.of("metrics.acc > 1", "params.lr = '0.1'", "status = 'FINISHED'", "datasets.name = 'iris'",
                "creation_time = 'x'", "name > 'a'", "name IS NULL", "creation_time IN ('1')", "name = 'a' extra")) {
            assertThrows(InvalidFilterException.class, () -> tracker.searchExperiments().filter(bad).list(), bad);
        }
        for (String bad : List.of("params.lr", "run_name", "name UP", "")) {
            assertThrows(InvalidFilterException.class, () -> tracker.searchExperiments().orderBy(bad).list(), bad);
        }
    }

    @Test
    @DisplayName("page tokens: another filter fails with InvalidInputException; garbage too")
    default void tokens(Tracker tracker) {
        ExperimentPage first = tracker.searchExperiments().maxResults(2).page();
        assertEquals(List.of("rate_50%", "speech_ctc"), names(first.experiments()));
        String token = first.nextPageToken().orElseThrow();
        assertEquals(List.of("NLP-gpt", "nlp-bert", "cv-vit", "cv-resnet"),
                names(tracker.searchExperiments().maxResults(10).pageToken(token).page().experiments()));
        assertThrows(InvalidInputException.class, () -> tracker.searchExperiments().filter("name LIKE '%'").pageToken(token).page());
        assertThrows(InvalidInputException.class, () -> tracker.searchExperiments().orderBy("name").pageToken(token).page());
        assertThrows(InvalidInputException.class, () -> tracker.searchExperiments().viewType(ViewType.ALL).pageToken(token).page());
        assertThrows(InvalidInputException.class, () -> tracker.searchRuns().pageToken(token).page(), "a run search");
        assertThrows(InvalidInputException.class, () -> tracker.searchExperiments().pageToken("garbage").page());
    }
}
