package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.RunSearchFixture.runs;
import static dev.runlog.tracking.tck.RunSearchFixture.resolve;
import static dev.runlog.tracking.tck.RunSearchFixture.fixtureRun;
import static dev.runlog.tracking.tck.RunSearchFixture.expected;
import static dev.runlog.tracking.tck.RunSearchFixture.names;
import static dev.runlog.tracking.tck.RunSearchFixture.query;
import static dev.runlog.tracking.tck.RunSearchFixture.allPages;
import static dev.runlog.tracking.tck.RunSearchFixture.row;
import static dev.runlog.tracking.tck.KitAssertions.assertMessageContains;
import static dev.runlog.tracking.tck.KitAssertions.ids;
import static dev.runlog.tracking.tck.KitAssertions.values;
import static dev.runlog.tracking.tck.KitData.START;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.InvalidFilterException;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.LifecycleStage;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.RunQuery;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.ViewType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Run search, filters: every operator and key kind of the grammar against the {@link RunSearchFixture},
 * and filters that try to escape into SQL.
 */
public interface RunSearchFilterContract extends RunSearchFixture {

    static Stream<Arguments> runCases() {
        return Stream.of(
                // ---- metrics: every comparator; the latest value; NaN, -0.0, ±Infinity
                row("metrics.acc > 0.5", "", "r16 r12 r10 r06 r03 r02"),
                row("metrics.acc >= 0.5", "", "r16 r12 r10 r06 r03 r02 r01"),
                row("metrics.acc < 0.5", "", "r14 r08 r07 r05"),
                row("metrics.acc <= 0.5", "", "r14 r08 r07 r05 r01"),
                row("metrics.acc = 0.9", "", "r10 r02"),
                row("metrics.acc != 0.9", "", "r16 r14 r12 r08 r07 r06 r05 r04 r03 r01"),
                row("metrics.acc == 0.9", "", "r10 r02"),
                row("metrics.acc <> 0.9", "", "r16 r14 r12 r08 r07 r06 r05 r04 r03 r01"),
                row("metrics.acc = 0", "", "r08 r05"),
                row("metrics.acc = -0.0", "", "r08 r05"),
                row("metrics.acc < 0", "", "r07"),
                row("metrics.acc >= 0", "", "r16 r14 r12 r10 r08 r06 r05 r03 r02 r01"),
                row("metrics.acc = 1e999", "", "r06"),
                row("metrics.acc > 1e308", "", "r06"),
                row("metrics.acc < -1e308", "", "r07"),
                row("metrics.acc >= -1e999", "", "r16 r14 r12 r10 r08 r07 r06 r05 r03 r02 r01"),
                row("metrics.acc < 1e999", "", "r16 r14 r12 r10 r08 r07 r05 r03 r02 r01"),
                row("metrics.acc = 0.7", "", "r03"),
                row("metrics.acc = 0.95", "", ""),
                row("metrics.acc = 0.6", "", "r12"),
                row("metrics.acc = 0.8", "", ""),
                row("metrics.acc=1", "", "r16"),
                row("metrics.acc > .95", "", "r16 r06"),
                row("metric.loss <= 0.2", "", "r10 r06 r02"),
                row("metrics.loss != 0.2", "", "r15 r09 r08 r06 r05 r03 r01"),
                row("metrics.loss < 1e999", "", "r15 r10 r09 r08 r06 r03 r02 r01"),
                row("NOT metrics.acc >= -1e999", "", "r15 r11 r09 r04"),
                row("NOT metrics.acc > 0.5", "", "r15 r14 r11 r09 r08 r07 r05 r04 r01"),
                row("NOT metrics.acc != 0.9", "", "r15 r11 r10 r09 r02"),
                row("metrics.acc IS NULL", "", "r15 r11 r09"),
                row("metrics.acc IS NOT NULL", "", "r16 r14 r12 r10 r08 r07 r06 r05 r04 r03 r02 r01"),
                row("metrics.nosuch > 0 OR metrics.nosuch != 0", "", ""),
                row("metrics.f1 = 0.2", "", "r08"),
                row("metrics.f1 = 0.4", "", "r10"),
                row("metrics.f1 < 0.35", "", "r08"),
                row("metrics.ACC > 0.5", "", ""),
                // ---- params: every prefix, = != LIKE ILIKE, IS [NOT] NULL, quoted keys
                row("params.opt = 'adam'", "", "r16 r14 r12 r10 r08 r01"),
                row("param.opt = 'sgd'", "", "r15 r09 r06 r03"),
                row("parameter.lr = '0.001'", "", "r16 r03"),
                row("parameters.lr = '0.01'", "", "r10 r07 r02"),
                row("params.opt = \"sgd\"", "", "r15 r09 r06 r03"),
                row("params.opt != 'adam'", "", "r15 r09 r06 r05 r04 r03 r02"),
                row("params.opt LIKE 'adam%'", "", "r16 r14 r12 r10 r08 r04 r01"),
                row("params.opt ILIKE 'adam%'", "", "r16 r14 r12 r10 r08 r05 r04 r02 r01"),
                row("params.opt LIKE 'ada_'", "", "r16 r14 r12 r10 r08 r01"),
                row("params.opt ILIKE 'ADA_'", "", "r16 r14 r12 r10 r08 r02 r01"),
                row("params.opt LIKE 'ADAM%'", "", "r05"),
                row("params.opt LIKE '%W'", "", "r05"),
                row("params.opt LIKE '%'", "", "r16 r15 r14 r12 r10 r09 r08 r06 r05 r04 r03 r02 r01"),
                row("params.opt LIKE 'adam'", "", "r16 r14 r12 r10 r08 r01"),
                row("params.lr IS NULL", "", "r15 r12 r09 r05"),
                row("params.lr IS NOT NULL", "", "r16 r14 r11 r10 r08 r07 r06 r04 r03 r02 r01"),
                row("params.`learning rate` = '0.5'", "", "r03"),
                row("params.\"learning rate\" IS NOT NULL", "", "r06 r03"),
                row("params.`opt` = 'adam' AND params.\"lr\" = '0.1'", "", "r14 r08 r01"),
                row("NOT params.lr = '0.1'", "", "r16 r15 r12 r10 r09 r07 r05 r03 r02"),
                row("NOT params.lr != '0.1'", "", "r15 r14 r12 r11 r09 r08 r06 r05 r04 r01"),
                row("params.city ILIKE 'zürich'", "", "r09"),
                row("params.city = 'ZÜRICH'", "", "r10"),
                row("params.city ILIKE 'z%'", "", "r10 r09"),
                row("params.opt IN ('sgd', 'ADAMW')", "", "r15 r09 r06 r05 r03"),
                row("params.OPT = 'adam'", "", ""),
                // ---- tags, quoted keys with dots, system tags
                row("tags.team = 'vision'", "", "r16 r14 r11 r10 r09 r04 r01"),
                row("tag.team ILIKE 'VISION'", "", "r16 r14 r11 r10 r09 r04 r02 r01"),
                row("tags.team LIKE 'V%'", "", "r02"),
                row("tags.team LIKE '_ision'", "", "r16 r14 r11 r10 r09 r04 r02 r01"),
                row("tags.team != 'vision'", "", "r15 r12 r07 r05 r03 r02"),
                row("tags.team IS NULL", "", "r08 r06"),
                row("NOT tags.team = 'vision'", "", "r15 r12 r08 r07 r06 r05 r03 r02"),
                row("tags.`mlflow.runName` = 'r04'", "", "r04"),
                row("tags.\"mlflow.runName\" IS NOT NULL", "", "r15 r04 r01"),
                row("tags.mlflow.runName LIKE 'r0%'", "", "r04 r01"),
                row("tags.`runlog.user` = 'u-alice'", "", "r15 r11 r09 r06 r03 r01"),
                row("tags.runlog.user = 'u-carol'", "", "r14 r08 r04"),
                row("tags.note LIKE 'a*b%'", "", "r09"),
                row("tags.note LIKE '%[c]'", "", "r09"),
                row("tags.note LIKE 'a_b?%'", "", "r09"),
                row("tags.note ILIKE 'AXB%'", "", "r10"),
                row("tags.note = 'it\\' OR \\'1\\'=\\'1'", "", "r08"),
                // ---- attributes: every prefix, string and numeric ones, IN / NOT IN
                row("user_id = 'u-bob'", "", "r16 r12 r10 r07 r05 r02"),
                row("attributes.user_id != 'u-bob'", "", "r15 r14 r11 r09 r08 r06 r04 r03 r01"),
                row("attributes.user_id IN ('u-carol', 'u-nobody')", "", "r14 r08 r04"),
                row("attributes.status = 'FAILED'", "", "r12 r04"),
                row("attr.status != 'FINISHED'", "", "r16 r12 r11 r09 r04"),
                row("run.status IN ('RUNNING', 'KILLED')", "", "r16 r11 r09"),
                row("status NOT IN ('FINISHED', 'FAILED')", "", "r16 r11 r09"),
                row("attribute.status LIKE 'F%'", "", "r15 r14 r12 r10 r08 r07 r06 r05 r04 r03 r02 r01"),
                row("status ILIKE 'running'", "", "r16 r11"),
                row("run_name = 'r07'", "", "r07"),
                row("attributes.run_name IN ('r01', 'r13', 'r15', 'nope')", "", "r15 r01"),
                row("run_name NOT IN ('r01', 'r02')", "", "r16 r15 r14 r12 r11 r10 r09 r08 r07 r06 r05 r04 r03"),
                row("run_name LIKE 'r1%'", "", "r16 r15 r14 r12 r11 r10"),
                row("run_name LIKE 'r0_'", "", "r09 r08 r07 r06 r05 r04 r03 r02 r01"),
                row("run_name ILIKE 'R1_'", "", "r16 r15 r14 r12 r11 r10"),
                row("run_name LIKE 'R1%'", "", ""),
                row("run_id = '${id:r03}'", "", "r03"),
                row("attributes.run_id IN ('${id:r05}', '${id:r07}', '${id:r13}')", "", "r07 r05"),
                row("run_id NOT IN ('${id:r01}', '${id:r16}')", "", "r15 r14 r12 r11 r10 r09 r08 r07 r06 r05 r04 r03 r02"),
                row("artifact_uri = '${uri:r04}'", "", "r04"),
                row("attributes.artifact_uri LIKE '%${id:r10}%'", "", "r10"),
                row("start_time > ${start:r05}", "", "r16 r15 r14 r12 r11 r10 r09 r08 r07 r06"),
                row("attributes.start_time <= ${start:r03}", "", "r03 r02 r01"),
                row("start_time < ${start:r03}", "", "r02 r01"),
                row("start_time >= ${start:r14}", "", "r16 r15 r14"),
                row("created = ${start:r07}", "", "r07"),
                row("attributes.created >= ${start:r14}", "", "r16 r15 r14"),
                row("start_time != ${start:r01}", "", "r16 r15 r14 r12 r11 r10 r09 r08 r07 r06 r05 r04 r03 r02"),
                row("end_time > ${end:r10}", "", "r15 r14 r12"),
                row("attributes.end_time <= ${end:r01}", "", "r03 r01"),
                row("end_time = ${end:r06}", "", "r06"),
                row("end_time != 0", "", "r15 r14 r12 r10 r09 r08 r07 r06 r05 r04 r03 r02 r01"),
                row("NOT end_time > 0", "", "r16 r11"),
                // ---- datasets: name, digest, context; a condition holds when one input satisfies it
                row("datasets.name = 'iris'", "", "r14 r12 r05 r02 r01"),
                row("dataset.name = 'wine'", "", "r10 r03"),
                row("datasets.context = 'eval'", "", "r12 r10 r05 r02"),
                row("datasets.name = 'iris' AND datasets.context = 'eval'", "", "r12 r05 r02"),
                row("datasets.digest = '${sha:iris@v2}'", "", "r05 r02"),
                row("datasets.digest IN ('${sha:wine@v1}', '${sha:iris@v2}')", "", "r10 r05 r03 r02"),
                row("datasets.context != 'training'", "", "r12 r10 r05 r02"),
                row("datasets.context NOT IN ('training')", "", "r12 r10 r05 r02"),
                row("NOT datasets.name = 'iris'", "", "r16 r15 r11 r10 r09 r08 r07 r06 r04 r03"),
                row("datasets.context ILIKE 'TRAIN%'", "", "r14 r03 r02 r01"),
                row("datasets.name LIKE 'w%'", "", "r10 r03"),
                // ---- AND, OR, NOT, parentheses, precedence, keywords in any case
                row("params.opt = 'sgd' OR tags.team = 'speech'", "", "r15 r09 r06 r05 r03"),
                row("params.opt = 'adam' AND tags.team = 'vision' OR status = 'FAILED'", "", "r16 r14 r12 r10 r04 r01"),
                row("status = 'FAILED' OR params.opt = 'adam' AND tags.team = 'vision'", "", "r16 r14 r12 r10 r04 r01"),
                row("params.opt = 'adam' AND (tags.team = 'vision' OR status = 'FAILED')", "", "r16 r14 r12 r10 r01"),
                row("NOT (params.opt = 'adam' OR params.opt = 'sgd')", "", "r11 r07 r05 r04 r02"),
                row("NOT params.opt = 'adam' AND NOT params.opt = 'sgd'", "", "r11 r07 r05 r04 r02"),
                row("NOT NOT tags.team = 'nlp'", "", "r12 r07 r03"),
                row("((tags.team = 'nlp'))", "", "r12 r07 r03"),
                row("(metrics.acc > 0.5 OR metrics.loss < 0.3) AND NOT status = 'RUNNING'", "", "r12 r10 r09 r06 r03 r02"),
                row("params.opt = 'adam' aNd Tags.team = 'vision' oR STATUS = 'FAILED'", "", "r16 r14 r12 r10 r04 r01"),
                row("Metrics.acc > 0.5 and not Attributes.Status = 'RUNNING'", "", "r12 r10 r06 r03 r02"),
                row("params.opt like 'adam%' or params.opt iLike 'adamw'", "", "r16 r14 r12 r10 r08 r05 r04 r01"),
                row("params.lr iS nOt NuLl and run_name nOt In ('r01') AND metrics.acc is null", "", "r11"),
                // ---- injection attempts: only literal matches
                row("tags.note = 'x'' OR 1=1 --'", "", "r07"),
                row("params.p = 'x'' OR 1=1 --'", "", "r07"),
                row("tags.note LIKE '%'' OR ''1''=''1'", "", "r08"),
                row("tags.`a'; DROP TABLE runs; --` = 'v'", "", ""),
                row("tags.`team' OR '1'='1` = 'vision'", "", ""),
                row("params.opt = 'adam'' OR ''1''=''1'", "", ""),
                row("run_name = 'r01'' --'", "", ""),
                row("tags.team IN ('vision'') OR (''1''=''1')", "", ""),
                row("datasets.name = 'iris'' OR 1=1 --'", "", ""),
                row("params.`?` = '?' OR params.opt = '?'", "", ""),
                // ---- order: metrics with NaN after numbers and missing last, both directions; ties by run id
                row("", "metrics.acc ASC", "r07 {r05 r08} r14 r01 r12 r03 {r02 r10} r16 r06 r04 {r09 r11 r15}"),
                row("", "metrics.acc DESC", "r06 r16 {r02 r10} r03 r12 r01 r14 {r05 r08} r07 r04 {r09 r11 r15}"),
                row("", "metrics.acc", "r07 {r05 r08} r14 r01 r12 r03 {r02 r10} r16 r06 r04 {r09 r11 r15}"),
                row("metrics.acc >= -1e999", "metrics.acc DESC", "r06 r16 {r02 r10} r03 r12 r01 r14 {r05 r08} r07"),
                row("metrics.acc > 0", "metrics.acc ASC", "r14 r01 r12 r03 {r02 r10} r16 r06"),
                row("metrics.acc > 0 AND tags.team = 'vision'", "metrics.acc desc|run_name", "r16 r10 r01 r14"),
                row("metrics.acc != 0.9", "metrics.acc DESC", "r06 r16 r03 r12 r01 r14 {r05 r08} r07 r04"),
                row("", "metrics.loss DESC|start_time ASC", "r15 r08 r01 r03 r09 r02 r10 r06 r05 r04 r07 r11 r12 r14 r16"),
                row("", "metrics.nosuch DESC", "{" + ACTIVE + "}"),
                row("", "metrics.nosuch ASC", "{" + ACTIVE + "}"),
                // ---- order: params, tags, attributes, several keys
                row("", "params.opt|start_time DESC", "r05 r02 r16 r14 r12 r10 r08 r01 r04 r15 r09 r06 r03 r11 r07"),
                row("", "params.lr DESC|run_name", "r01 r04 r06 r08 r11 r14 r02 r07 r10 r03 r16 r05 r09 r12 r15"),
                row("", "tags.team|start_time", "r02 r03 r07 r12 r05 r15 r01 r04 r09 r10 r11 r14 r16 r06 r08"),
                row("", "tags.team DESC|start_time DESC", "r16 r14 r11 r10 r09 r04 r01 r15 r05 r12 r07 r03 r02 r08 r06"),
                row("", "tags.runlog.user DESC|metrics.acc ASC", "r08 r14 r04 r07 r05 r12 {r02 r10} r16 r01 r03 r06 {r09 r11 r15}"),
                row("", "user_id|start_time DESC", "r15 r11 r09 r06 r03 r01 r16 r12 r10 r07 r05 r02 r14 r08 r04"),
                row("", "start_time", "r01 r02 r03 r04 r05 r06 r07 r08 r09 r10 r11 r12 r14 r15 r16"),
                row("", "attributes.start_time DESC", ACTIVE),
                row("", "run_id", "{" + ACTIVE + "}"),
                row("", "attributes.run_id DESC", "{" + ACTIVE + "}"),
                row("", "created ASC", "r01 r02 r03 r04 r05 r06 r07 r08 r09 r10 r11 r12 r14 r15 r16"),
                row("", "run_name DESC", ACTIVE),
                row("tags.team = 'vision'", "attributes.run_name", "r01 r04 r09 r10 r11 r14 r16"),
                row("", "end_time", "r03 r01 r02 r05 r04 r07 r06 r08 r09 r10 r12 r14 r15 {r11 r16}"),
                row("", "end_time DESC", "r15 r14 r12 r10 r09 r08 r06 r07 r04 r05 r02 r01 r03 {r11 r16}"),
                row("", "status|run_name DESC", "r12 r04 r15 r14 r10 r08 r07 r06 r05 r03 r02 r01 r09 r16 r11"),
                row("", "status DESC|end_time|run_name", "r11 r16 r09 r03 r01 r02 r05 r07 r06 r08 r10 r14 r15 r04 r12"),
                row("params.opt = 'adam'", "metrics.acc DESC|params.lr", "r16 r10 r12 r01 r14 r08"),
                row("metrics.acc > 0 AND (params.opt = 'sgd' OR tags.team = 'nlp')", "metrics.acc DESC", "r06 r03 r12"));
    }

    @ParameterizedTest(name = "[{index}] filter <{0}> order <{1}>")
    @MethodSource("dev.runlog.tracking.tck.RunSearchFilterContract#runCases")
    @DisplayName("filters and orders give exactly the expected runs in order, through list(), stream(), page() and pages of 4")
    default void searchCase(String filter, String order, String expected, StoreHarness kit) {
        List<String> want = expected(kit, expected, order);
        String resolved = resolve(kit, filter);
        assertEquals(want, names(query(kit, filter, order).list()), () -> "list() for <" + resolved + "> order <" + order + ">");
        assertAll(
                () -> assertEquals(want, names(query(kit, filter, order).stream().toList()), "stream()"),
                () -> assertEquals(want, names(query(kit, filter, order).page().runs()), "page()"),
                () -> assertEquals(Optional.empty(), query(kit, filter, order).page().nextPageToken(), "one page holds all"),
                () -> assertEquals(want, names(allPages(() -> query(kit, filter, order), 4)), "pages of 4"));
    }

    @Test
    @DisplayName("the fixture holds what the cases assume: latest metrics, statuses, end times, the deleted run")
    default void fixtureIsAsDescribed(StoreHarness kit) {
        assertEquals(0.7, fixtureRun(kit, "r03").data().metrics().get("acc"), "the latest point is the largest step");
        assertTrue(fixtureRun(kit, "r04").data().metrics().get("acc").isNaN(), "r04 ends with NaN");
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(fixtureRun(kit, "r05").data().metrics().get("acc")));
        assertEquals(0.6, fixtureRun(kit, "r12").data().metrics().get("acc"));
        assertEquals(RunStatus.RUNNING, fixtureRun(kit, "r11").info().status());
        assertEquals(Optional.empty(), fixtureRun(kit, "r16").info().endTime());
        assertEquals(RunStatus.FAILED, fixtureRun(kit, "r04").info().status());
        assertEquals(RunStatus.KILLED, fixtureRun(kit, "r09").info().status());
        assertEquals(LifecycleStage.DELETED, fixtureRun(kit, "r13").info().lifecycleStage());
        assertEquals(START.plusSeconds(100), fixtureRun(kit, "r03").info().endTime().orElseThrow());
        assertEquals(START.plusSeconds(7), fixtureRun(kit, "r07").info().startTime());
        assertEquals("u-carol", fixtureRun(kit, "r14").data().tags().get("runlog.user"));
        assertEquals(2, fixtureRun(kit, "r02").inputs().size());
    }

    @Test
    @DisplayName("experiments(...) takes names and ids; none means all; an unknown one fails with NotFoundException")
    default void experimentsByNameAndId(Tracker tracker, StoreHarness kit) {
        String beta = tracker.getExperimentByName(BETA).orElseThrow().id();
        String gamma = tracker.getExperimentByName(GAMMA).orElseThrow().id();
        assertEquals(List.of("r10", "r08", "r07", "r05", "r03", "r02", "r01"), names(tracker.searchRuns().experiments(ALPHA).list()));
        assertEquals(List.of("r12", "r11", "r09", "r06", "r04"), names(tracker.searchRuns().experiments(beta).list()));
        assertEquals(List.of("r16", "r15", "r14", "r10", "r08", "r07", "r05", "r03", "r02", "r01"),
                names(tracker.searchRuns().experiments(ALPHA, gamma).list()));
        assertEquals(List.of("r16", "r15", "r14"), names(tracker.searchRuns().experiments(GAMMA, gamma).list()),
                "an experiment named twice counts once");
        assertEquals(expected(kit, ACTIVE, ""), names(tracker.searchRuns().experiments().list()));
        assertEquals(List.of("r12", "r04"), names(tracker.searchRuns().experiments(BETA)
                .filter("status = 'FAILED'").list()));
        assertEquals(List.of("r14"), names(tracker.searchRuns().experiments(gamma)
                .filter("params.opt = 'adam'").orderBy("metrics.acc").maxResults(1).page().runs()));
        assertThrows(NotFoundException.class, () -> tracker.searchRuns().experiments("no-such-experiment").page());
        assertThrows(NotFoundException.class, () -> tracker.searchRuns().experiments(ALPHA, "no-such-experiment").list());
        assertThrows(NotFoundException.class, () -> tracker.searchRuns().experiments("999999").list());
        assertThrows(NotFoundException.class, () -> tracker.searchRuns().experiments(ALPHA + "' OR '1'='1").list());
        assertEquals(List.of("r16", "r15", "r14"), names(tracker.searchRuns().experiments(GAMMA)
                .filter("params.opt = 'sgd' OR params.opt = 'adam'").list()), "an OR filter stays inside the experiments");
    }

    @Test
    @DisplayName("viewType: ACTIVE_ONLY by default, DELETED_ONLY, ALL; deleting an experiment deletes its runs from view")
    default void viewTypes(Tracker tracker, StoreHarness kit) {
        assertEquals(expected(kit, ACTIVE, ""), names(tracker.searchRuns().list()));
        assertEquals(expected(kit, ACTIVE, ""), names(tracker.searchRuns().viewType(ViewType.ACTIVE_ONLY).list()));
        assertEquals(List.of("r13"), names(tracker.searchRuns().viewType(ViewType.DELETED_ONLY).list()));
        List<String> all = new ArrayList<>(expected(kit, ACTIVE, ""));
        all.add(3, "r13");
        assertEquals(all, names(tracker.searchRuns().viewType(ViewType.ALL).list()));
        assertEquals(List.of("r13"), names(tracker.searchRuns().viewType(ViewType.DELETED_ONLY)
                .filter("params.opt = 'adam'").list()));
        assertEquals(List.of("r16", "r14", "r13", "r12", "r10", "r08", "r01"), names(tracker.searchRuns()
                .viewType(ViewType.ALL).filter("params.opt = 'adam'").list()));
        assertEquals(List.of("r06", "r16", "r13"), names(tracker.searchRuns().viewType(ViewType.ALL)
                .filter("metrics.acc > 0.95").orderBy("metrics.acc DESC").list()));
        assertThrows(InvalidInputException.class, () -> tracker.searchRuns().viewType(null).page());

        String gamma = tracker.getExperimentByName(GAMMA).orElseThrow().id();
        tracker.deleteExperiment(gamma);
        assertEquals(List.of("r12", "r11", "r10", "r09", "r08", "r07", "r06", "r05", "r04", "r03", "r02", "r01"),
                names(tracker.searchRuns().list()));
        assertEquals(List.of("r16", "r15", "r14", "r13"), names(tracker.searchRuns().viewType(ViewType.DELETED_ONLY).list()));
        assertEquals(List.of(), names(tracker.searchRuns().experiments(GAMMA).list()),
                "a deleted experiment can still be named; its runs are deleted");
        assertEquals(List.of("r16", "r15", "r14"), names(tracker.searchRuns().experiments(GAMMA).viewType(ViewType.ALL).list()));
        tracker.restoreExperiment(gamma);
        assertEquals(expected(kit, ACTIVE, ""), names(tracker.searchRuns().list()));
        assertEquals(List.of("r13"), names(tracker.searchRuns().viewType(ViewType.DELETED_ONLY).list()));
    }

    @Test
    @DisplayName("a run_id IN list of 40,000 ids finds the runs it names")
    default void largeInList(Tracker tracker, StoreHarness kit) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40_000; i++) {
            ids.add(String.format("%032x", i));
        }
        ids.add(fixtureRun(kit, "r05").info().id());
        ids.add(fixtureRun(kit, "r07").info().id());
        String filter = "run_id IN (" + ids.stream().map(id -> "'" + id + "'").collect(Collectors.joining(", ")) + ")";
        assertEquals(List.of("r07", "r05"), names(tracker.searchRuns().filter(filter).list()));
    }

    @Test
    @DisplayName("a filter of 1,500 OR-ed conditions finds the runs one of them matches")
    default void longOrChain(Tracker tracker) {
        StringBuilder filter = new StringBuilder();
        for (int i = 0; i < 1_500; i++) {
            filter.append("params.opt = 'x").append(i).append("' OR ");
        }
        filter.append("run_name = 'r03'");
        assertEquals(List.of("r03"), names(tracker.searchRuns().filter(filter.toString()).list()));
    }

    @Test
    @DisplayName("LIKE and ILIKE patterns of 10,000 characters, the limit, are answered even when every one needs escaping; longer ones are refused")
    default void longestPatterns(Tracker tracker, StoreHarness kit) {
        // GLOB's metacharacters take three bytes each once escaped, and so does a CJK character in
        // UTF-8: the longest pattern in the bytes a SQL store sees.
        StringBuilder pattern = new StringBuilder("%");
        while (pattern.length() < 9_999) {
            pattern.append("*?[\u4e2d".charAt(pattern.length() % 4));
        }
        String longest = pattern.append('%').toString();
        assertEquals(10_000, longest.length());
        for (String op : List.of("LIKE", "ILIKE")) {
            assertEquals(List.of(), tracker.searchRuns().filter("tags.team " + op + " '" + longest + "'").list(), op);
            assertEquals(List.of("r07"), names(tracker.searchRuns().filter("params.p " + op + " 'x''" + "%".repeat(9_998) + "'").list()), op);
            InvalidFilterException e = assertThrows(InvalidFilterException.class,
                    () -> tracker.searchRuns().filter("tags.team " + op + " '" + longest + "%'").list());
            assertMessageContains(e, "the " + op + " pattern after 'tags.team' has 10001 characters; the limit is 10000");
        }
        InvalidFilterException e = assertThrows(InvalidFilterException.class,
                () -> tracker.searchExperiments().filter("name LIKE '" + longest + "%'").list());
        assertMessageContains(e, "has 10001 characters; the limit is 10000");
        // Characters, not UTF-16 units: 10,000 emoji are 20,000 units and at most 40,000 UTF-8 bytes.
        String emoji = "\uD83D\uDE00".repeat(9_999) + "%";
        assertEquals(List.of(), tracker.searchRuns().filter("tags.team LIKE '" + emoji + "'").list());
    }

    @Test
    @DisplayName("filter text never becomes SQL: injections in values, keys, patterns and order keys change nothing")
    default void injectionLeavesTheStoreIntact(Tracker tracker, StoreHarness kit) {
        int runsBefore = tracker.searchRuns().viewType(ViewType.ALL).list().size();
        int experimentsBefore = tracker.listExperiments(ViewType.ALL).size();
        Map<String, List<String>> cases = new LinkedHashMap<>();
        cases.put("params.p = 'x'' OR 1=1 --'", List.of("r07"));
        cases.put("tags.`a'; DROP TABLE runs; --` = 'v'", List.of());
        cases.put("tags.note LIKE '%'' OR ''1''=''1'", List.of("r08"));
        cases.put("params.opt = 'adam\\' OR 1=1 --'", List.of());
        cases.put("tags.team IN ('vision'') OR (''1''=''1')", List.of());
        cases.put("run_id IN ('x'') OR 1=1 --')", List.of());
        cases.put("attributes.artifact_uri LIKE '%'' OR 1=1 --'", List.of());
        cases.put("datasets.digest = ''' OR 1=1; DELETE FROM runs; --'", List.of());
        cases.put("params.`opt\"; DROP TABLE params; --` IS NULL AND run_name = 'r01'", List.of("r01"));
        cases.put("tags.`note` ILIKE '%'' OR 1=1 --'", List.of("r07"));
        for (var c : cases.entrySet()) {
            assertEquals(c.getValue(), names(tracker.searchRuns().filter(c.getKey()).list()), c.getKey());
        }
        for (String bad : List.of("params.opt = 'adam'; DROP TABLE runs", "run_name = 'r01' --", "params.opt = '' OR ''1''=''1'",
                "params.opt = 'adam' /* x */", "1=1", "params.opt = 'a' OR 1=1")) {
            assertThrows(InvalidFilterException.class, () -> tracker.searchRuns().filter(bad).list(), bad);
        }
        List<String> byId = new ArrayList<>(runs(kit).values().stream().filter(r -> r.info().lifecycleStage() == LifecycleStage.ACTIVE)
                .map(r -> r.info().id()).sorted().toList());
        java.util.Collections.reverse(byId);
        assertEquals(byId, ids(tracker.searchRuns().orderBy("params.`p; DROP TABLE runs; --` DESC").list()),
                "an order key nobody has: every run, by id");
        assertEquals(List.of(), tracker.searchExperiments().filter("name = 'x'' OR ''1''=''1'").list());
        assertEquals(List.of(), tracker.searchExperiments().filter("tags.`x'; DROP TABLE experiments; --` = 'y'").list());

        assertEquals(runsBefore, tracker.searchRuns().viewType(ViewType.ALL).list().size());
        assertEquals(experimentsBefore, tracker.listExperiments(ViewType.ALL).size());
        assertEquals("x' OR 1=1 --", tracker.getRun(fixtureRun(kit, "r07").info().id()).data().params().get("p"));
        try (ActiveRun after = tracker.startRun(ALPHA)) {
            after.logParam("p", "after").setTag("team", "vision");
            assertEquals(List.of(after.id()), ids(tracker.searchRuns().filter("params.p = 'after'").list()));
        }
        assertEquals(runsBefore + 1, tracker.searchRuns().viewType(ViewType.ALL).list().size());
    }

    @Test
    @DisplayName("a bad filter or order clause fails with InvalidFilterException naming the column, when the search runs")
    default void invalidFilterThroughTheApi(Tracker tracker) {
        InvalidFilterException e = assertThrows(InvalidFilterException.class,
                () -> tracker.searchRuns().filter("metrics.acc").page());
        assertEquals(12, e.column());
        assertMessageContains(e, "expected a comparator after 'metrics.acc' at column 12");
        assertThrows(InvalidFilterException.class, () -> tracker.searchRuns().filter("params.lr > '0.1'").list());
        assertThrows(InvalidFilterException.class, () -> tracker.searchRuns().filter("metrics.acc > 1").orderBy("datasets.name").list());
        assertThrows(InvalidFilterException.class, () -> tracker.searchRuns().orderBy("metrics.acc DESC", "nosuch").page());
        assertThrows(InvalidFilterException.class, () -> tracker.searchRuns().orderBy("").page());
        assertThrows(InvalidFilterException.class, () -> tracker.searchRuns().filter("name = 'x'").page(),
                "name is an experiment attribute, not a run one");
        assertThrows(InvalidInputException.class, () -> tracker.searchRuns().orderBy((String) null).page());
    }

    @Test
    @DisplayName("runs tying on every order key come in run id order, in the direction of the last key, across pages")
    default void tiesByRunId(Tracker tracker, MutableClock clock) {
        clock.set(START.plusSeconds(500));
        List<String> tied = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            try (ActiveRun run = tracker.newRun("ties").name("same").start()) {
                run.logMetric("m", i % 2 == 0 ? 0.0 : -0.0, 0);
                tied.add(run.id());
            }
        }
        List<String> ascending = tied.stream().sorted().toList();
        List<String> descending = new ArrayList<>(ascending);
        java.util.Collections.reverse(descending);
        java.util.function.Function<String[], java.util.function.Supplier<RunQuery>> q =
                order -> () -> tracker.searchRuns().experiments("ties").orderBy(order);
        assertEquals(descending, ids(tracker.searchRuns().experiments("ties").list()), "default start_time DESC");
        assertEquals(ascending, ids(q.apply(new String[] {"start_time"}).get().list()));
        assertEquals(descending, ids(q.apply(new String[] {"start_time", "run_name DESC"}).get().list()));
        assertEquals(ascending, ids(q.apply(new String[] {"run_name DESC", "start_time ASC"}).get().list()));
        assertEquals(ascending, ids(q.apply(new String[] {"metrics.m"}).get().list()), "0.0 and -0.0 tie");
        assertEquals(descending, ids(q.apply(new String[] {"metrics.m DESC"}).get().list()), "0.0 and -0.0 tie");
        for (String[] order : List.of(new String[] {"start_time"}, new String[] {"metrics.m DESC"},
                new String[] {"params.none", "start_time DESC"})) {
            assertEquals(ids(q.apply(order).get().list()), ids(allPages(q.apply(order), 2)), String.join(",", order));
        }
    }

    @Test
    @DisplayName("strings order by Unicode code point in every store; LIKE's _ is one character; ILIKE folds ASCII only")
    default void unicodeStrings(Tracker tracker, MutableClock clock) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("u-smile", "\uD83D\uDE00"); // U+1F600, a surrogate pair in UTF-16
        values.put("u-fullwidth-a", "\uFF21"); // U+FF21
        values.put("u-e-acute", "é");
        values.put("u-z", "z");
        values.put("u-upper-e-acute", "É");
        for (var v : values.entrySet()) {
            try (ActiveRun run = tracker.newRun("unicode").name(v.getKey()).start()) {
                run.logParam("sym", v.getValue());
            }
            clock.advanceMillis(1);
        }
        assertEquals(List.of("u-z", "u-upper-e-acute", "u-e-acute", "u-fullwidth-a", "u-smile"),
                names(tracker.searchRuns().experiments("unicode").orderBy("params.sym").list()),
                "z U+7A < É U+C9 < é U+E9 < Ａ U+FF21 < 😀 U+1F600");
        assertEquals(List.of("u-smile", "u-fullwidth-a", "u-e-acute", "u-upper-e-acute", "u-z"),
                names(tracker.searchRuns().experiments("unicode").orderBy("params.sym DESC").list()));
        assertEquals(5, tracker.searchRuns().experiments("unicode").filter("params.sym LIKE '_'").list().size());
        assertEquals(List.of("u-e-acute"), names(tracker.searchRuns().experiments("unicode").filter("params.sym ILIKE 'é'").list()));
        assertEquals(List.of("u-z"), names(tracker.searchRuns().experiments("unicode").filter("params.sym ILIKE 'Z'").list()));
        assertEquals(List.of("u-smile"), names(tracker.searchRuns().experiments("unicode")
                .filter("params.sym = '\uD83D\uDE00'").list()));
    }

    @Test
    @DisplayName("a run made without a user has the empty user_id, as MLflow keeps one: found by = '' and by != another user, sorted first ascending")
    default void runWithoutAUserHasTheEmptyUserId(Tracker tracker, MutableClock clock) {
        clock.set(START.plusSeconds(900));
        // recordRuns stores tags as given, so its run has no runlog.user tag, as a run an MLflow
        // client made without a user has none.
        String bulk = tracker.recordRuns("users", List.of(new dev.runlog.tracking.RunRecord("bulk", RunStatus.FINISHED,
                START.plusSeconds(1), START.plusSeconds(2), Map.of(), Map.of(), List.of()))).get(0);
        String own;
        try (ActiveRun run = tracker.startRun("users")) {
            own = run.id();
        }
        String user = tracker.getRun(own).data().tags().get(ActiveRun.USER_TAG);
        Function<String, List<String>> found = filter -> ids(tracker.searchRuns().experiments("users").filter(filter)
                .orderBy("run_id").list());
        List<String> both = java.util.stream.Stream.of(bulk, own).sorted().toList();
        assertAll(
                () -> assertEquals(List.of(bulk), found.apply("attributes.user_id = ''")),
                () -> assertEquals(List.of(bulk), found.apply("user_id != '" + user.replace("'", "''") + "'")),
                () -> assertEquals(List.of(bulk), found.apply("user_id IN ('', 'nobody')")),
                () -> assertEquals(List.of(own), found.apply("user_id NOT IN ('')")),
                () -> assertEquals(List.of(own), found.apply("NOT user_id = ''")),
                () -> assertEquals(both, found.apply("user_id LIKE '%'")),
                () -> assertEquals(List.of(own), found.apply("user_id LIKE '_%'")),
                () -> assertEquals(List.of(bulk, own), ids(tracker.searchRuns().experiments("users").orderBy("user_id").list())),
                () -> assertEquals(List.of(own, bulk), ids(tracker.searchRuns().experiments("users").orderBy("user_id DESC").list())),
                () -> assertEquals(List.of(bulk, own), ids(allPages(() -> tracker.searchRuns().experiments("users")
                        .orderBy("user_id"), 1)), "pages of one"));
    }
}
