package dev.runlog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runlog.cli.CliHarness.Result;
import dev.runlog.registry.Stage;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every read and registry command through its command line, on the fixture of {@link CliHarness}:
 * output, exit codes and error lines. Subclasses choose the store.
 */
abstract class CommandsContract {
    CliHarness h;
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path scratch;

    abstract CliHarness harness();

    @BeforeEach
    void open() {
        h = harness().withFixture();
    }

    @AfterEach
    void close() {
        h.close();
    }

    static JsonNode json(String text) throws Exception {
        return Text.Json.MAPPER.readTree(text);
    }

    static void assertFailed(Result r, int code, String... fragments) {
        assertEquals(code, r.code(), r::toString);
        assertEquals("", r.out(), r::toString);
        List<String> lines = r.err().lines().toList();
        assertTrue(lines.get(0).startsWith("runlog: "), r::toString);
        for (String fragment : fragments) {
            assertTrue(r.err().contains(fragment), () -> "no '" + fragment + "' in " + r.err());
        }
        assertFalse(r.err().contains("\tat "), "a stack trace without --verbose: " + r.err());
    }

    @Test
    void experimentsCountRunsInAnAlignedTableAndJson() throws Exception {
        Result table = h.run("experiments");
        assertEquals(0, table.code(), table::toString);
        assertEquals(List.of(
                "id  name  runs  deleted_runs  last_activity  created",
                " 1  iris     2             0  11 min ago     2026-03-02 09:00"), table.lines());

        JsonNode json = json(h.run("experiments", "--format", "json").out());
        assertEquals("iris", json.get(0).get("name").asText());
        assertEquals(2, json.get(0).get("run_count").asInt());
        assertEquals(0, json.get(0).get("deleted_run_count").asInt());

        h.tracker.deleteRun(h.runA);
        JsonNode afterDelete = json(h.run("experiments", "--format", "json").out());
        assertEquals(1, afterDelete.get(0).get("run_count").asInt());
        assertEquals(1, afterDelete.get(0).get("deleted_run_count").asInt());
        h.tracker.restoreRun(h.runA);
        assertEquals(CliHarness.START.plusSeconds(30).toEpochMilli(), json.get(0).get("last_activity").asLong());

        // With deleted experiments shown, a stage column tells them apart.
        h.tracker.createExperiment("scratch");
        h.tracker.deleteExperiment(h.tracker.getExperimentByName("scratch").orElseThrow().id());
        Result all = h.run("experiments", "--view", "all");
        assertEquals(0, all.code(), all::toString);
        assertEquals("id  name     stage    runs  deleted_runs  last_activity  created", all.lines().get(0));
        assertTrue(all.lines().get(1).startsWith(" 1  iris     active      2"), all.out());
        assertTrue(all.lines().get(2).startsWith(" 2  scratch  deleted     0"), all.out());
    }

    @Test
    void runsTableShowsParamsAndLatestMetricsNewestFirst() {
        Result r = h.run("runs");
        assertEquals(0, r.code(), r::toString);
        assertEquals(List.of(
                "run_id                            run_name  status    start_time  duration  params.epochs  params.lr  metrics.acc  metrics.loss",
                h.runB + "  lr-0.01   FINISHED  11 min ago  15.0 s               10       0.01         0.85           0.4",
                h.runA + "  lr-0.1    FINISHED  11 min ago  15.0 s               10        0.1         0.91           0.3"),
                r.lines());
    }

    @Test
    void runsCsvHasEveryParamAndMetricAsAColumnWithExactValues() {
        Result r = h.run("runs", "--format", "csv", "--order-by", "metrics.acc DESC");
        assertEquals(0, r.code(), r::toString);
        List<String> lines = r.lines();
        assertEquals("run_id,run_name,experiment_id,status,start_time,end_time,duration,lifecycle_stage,artifact_uri,"
                + "params.epochs,params.lr,metrics.acc,metrics.loss", lines.get(0));
        assertTrue(lines.get(1).startsWith(h.runA + ",lr-0.1,1,FINISHED,2026-03-02T09:00:00Z,2026-03-02T09:00:15Z,15000,active,"), lines.get(1));
        assertTrue(lines.get(1).endsWith(",10,0.1,0.91,0.3"), lines.get(1));
        assertEquals(3, lines.size());
    }

    @Test
    void runsCsvHasAColumnForAKeyOnlyOneRunHasAndQuotesWhatNeedsIt() {
        try (var run = h.tracker.startRun("other")) {
            run.logParam("momentum", "0.9, then 0.99").logMetric("acc", Double.NaN).logMetric("f1", 0.5);
        }
        Result r = h.run("runs", "--format", "csv", "--order-by", "params.momentum DESC", "--order-by", "metrics.acc DESC");
        assertEquals(0, r.code(), r::toString);
        List<String> lines = r.lines();
        assertTrue(lines.get(0).endsWith(",params.epochs,params.lr,params.momentum,metrics.acc,metrics.f1,metrics.loss"), lines.get(0));
        assertTrue(lines.get(1).endsWith(",,,\"0.9, then 0.99\",NaN,0.5,"), lines.get(1));
        assertTrue(lines.get(2).endsWith(",10,0.1,,0.91,,0.3"), lines.get(2));
        assertEquals(4, lines.size());
    }

    @Test
    void runsCsvPlacesEveryFieldOfRunsWithOtherKeysInItsOwnColumn() {
        try (var run = h.tracker.startRun("other")) {
            run.logParam("acc", "a \"quoted\", two-line\nvalue").logParam("zeta", "z").logMetric("f1", 0.5);
        }
        try (var run = h.tracker.startRun("other")) {
            run.logParam("zeta", "z2").logMetric("acc", 0.25);
        }
        Result all = h.run("runs", "--format", "csv", "--order-by", "params.zeta DESC", "--order-by", "metrics.acc DESC");
        assertEquals(0, all.code(), all::toString);
        String csv = all.out();
        assertTrue(csv.startsWith("run_id,run_name,experiment_id,status,start_time,end_time,duration,lifecycle_stage,artifact_uri,"
                + "params.acc,params.epochs,params.lr,params.zeta,metrics.acc,metrics.f1,metrics.loss\n"), csv);
        String[] rows = csv.split("\n(?=[0-9a-f]{32},)");
        assertEquals(5, rows.length, csv);
        assertTrue(rows[1].endsWith(",,,,z2,0.25,,"), rows[1]);
        assertTrue(rows[2].endsWith(",\"a \"\"quoted\"\", two-line\nvalue\",,,z,,0.5,"), rows[2]);
        assertTrue(rows[3].endsWith(",,10,0.1,,0.91,,0.3"), rows[3]);
        assertTrue(rows[4].endsWith(",,10,0.01,,0.85,,0.4\n"), rows[4]);
    }

    @Test
    void runsColumnsFilterExperimentAndMaxNarrowTheOutput() {
        Result r = h.run("runs", "-e", "iris", "--filter", "metrics.acc > 0.9", "--columns", "run_name,params.lr,metrics.acc,tags.team",
                "--format", "csv");
        assertEquals(List.of("run_name,params.lr,metrics.acc,tags.team", "lr-0.1,0.1,0.91,vision"), r.lines());

        Result first = h.run("runs", "--max", "1", "--columns", "run_name", "--format", "csv");
        assertEquals(List.of("run_name", "lr-0.01"), first.lines());

        Result table = h.run("runs", "--max", "1", "--columns", "run_name");
        assertEquals(List.of("run_name", "lr-0.01"), table.lines());
        assertTrue(table.err().contains("the first 1 runs; --max N shows more"), table.err());
    }

    @Test
    void viewTakesTheWebApisWordsAndTheEnumsNames() {
        h.tracker.deleteRun(h.runA);
        for (String deleted : List.of("deleted", "DELETED_ONLY", "Deleted")) {
            assertEquals(List.of("run_name", "lr-0.1"), h.run("runs", "--view", deleted, "--columns", "run_name", "--format", "csv").lines(),
                    deleted);
        }
        assertEquals(List.of("run_name", "lr-0.01"), h.run("runs", "--view", "active", "--columns", "run_name", "--format", "csv").lines());
        assertEquals(3, h.run("runs", "--view", "all", "--columns", "run_name", "--format", "csv").lines().size());
        Result bad = h.run("runs", "--view", "gone");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("use active, deleted or all"), bad.err());
    }

    @Test
    void runsJsonStreamsOneObjectPerRunWithTheDocumentedShape() throws Exception {
        Result r = h.run("runs", "--format", "json", "--columns", "params.lr,metrics.acc");
        assertEquals(0, r.code(), r::toString);
        JsonNode runs = json(r.out());
        assertEquals(2, runs.size());
        JsonNode a = runs.get(1);
        assertEquals(List.of("run_id", "run_name", "experiment_id", "status", "start_time", "end_time", "lifecycle_stage",
                "artifact_uri", "params", "metrics", "tags"), iterable(a.fieldNames()));
        assertEquals(h.runA, a.get("run_id").asText());
        assertEquals("0.1", a.get("params").get("lr").asText());
        assertEquals(0.91, a.get("metrics").get("acc").asDouble());
        assertEquals(1, a.get("params").size());
        assertEquals(0, a.get("tags").size());
        assertEquals(CliHarness.START.toEpochMilli(), a.get("start_time").asLong());

        JsonNode none = json(h.run("runs", "--format", "json", "--filter", "metrics.acc > 2").out());
        assertEquals(0, none.size());
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> list = new java.util.ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    @Test
    void aBadFilterExitsOneNamingTheColumn() {
        assertFailed(h.run("runs", "--filter", "metrics.acc > 0.9 and"), 1, "at column 22",
                "fix the filter at that column (runlog runs --help shows an example)");
        // The models filter has a grammar of its own: its hint points at its own help.
        assertFailed(h.run("models", "--filter", "name LIKE"), 1, "(runlog models --help shows an example)");
        assertFailed(h.run("runs", "--filter", "metrics.acc >", "--format", "csv"), 1, "at column 14");
        // Nothing on stdout (assertFailed checks): a CSV header there would read as an empty result to a script.
        assertFailed(h.run("runs", "--filter", "metrics.acc >", "--format", "csv", "--columns", "run_id,metrics.acc"),
                1, "at column 14");
    }

    @Test
    void usageErrorsExitTwo() {
        assertFailed(h.run("runs", "--columns", "params.lr,nope"), 2, "unknown column 'nope'", "params.KEY");
        assertFailed(h.run("runs", "--columns", ",,"), 2, "--columns");
        assertFailed(h.run("runs", "--columns", "run_id,,params.lr"), 2, "empty column name");
        assertFailed(h.run("runs", "--columns", "run_id,"), 2, "empty column name");
        assertFailed(h.run("runs", "--columns", "params.lr,param.lr"), 2, "column 'param.lr' is named twice");
        assertFailed(h.run("runs", "--bogus"), 2, "Unknown option: '--bogus'", "runlog runs --help");
        assertFailed(h.run("runs", "--format", "xml"), 2, "--format");
        assertFailed(h.run("runs", "--max", "0"), 2, "--max must be at least 1");
        // The table asks for one row more than --max to say there are more: at the int's limit that overflowed.
        CliHarness.Result most = h.run("runs", "--max", String.valueOf(Integer.MAX_VALUE));
        assertEquals(0, most.code(), most::toString);
        assertFailed(h.run("run", h.runA, "--format", "csv"), 2, "--format csv is not offered here; use table or json");
        assertFailed(h.run("nosuchcommand"), 2, "nosuchcommand");
        assertFailed(h.run("diff", h.runA), 2, "RUN_B");
    }

    @Test
    void runShowsEverythingAboutOneRun() throws Exception {
        Result r = h.run("run", h.runA);
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("run         " + h.runA + "\nname        lr-0.1\nexperiment  iris (1)\nstatus      FINISHED\n"
                + "started     2026-03-02 09:00 (11 min ago)\nduration    15.0 s\n"), r.out());
        assertTrue(r.out().contains("metrics\nkey   latest  step\nacc     0.91     2\nloss     0.3     0\n"), r.out());
        assertTrue(r.out().contains("team                      vision"), r.out());
        assertTrue(r.out().contains("artifacts\npath    size  sha256\nmodel/\n"), r.out());

        JsonNode json = json(h.run("run", h.runA, "--format", "json").out());
        assertEquals("vision", json.get("tags").get("team").asText());
        assertEquals("model", json.get("artifacts").get(0).get("path").asText());
        assertTrue(json.get("artifacts").get(0).get("is_dir").asBoolean());
        assertEquals(0, json.get("inputs").size());
    }

    @Test
    void unknownRunsAndModelsExitOneSayingWhatToCheck() {
        assertFailed(h.run("run", "0123456789abcdef0123456789abcdef"), 1, "0123456789abcdef0123456789abcdef", "check the name or id");
        assertFailed(h.run("metric", "0123456789abcdef0123456789abcdef", "acc"), 1, "check the name or id");
        assertFailed(h.run("metric", h.runA, "f1"), 1, "has no metric 'f1'", "[acc, loss]");
        assertFailed(h.run("diff", h.runA, "0123456789abcdef0123456789abcdef"), 1, "check the name or id");
        assertFailed(h.run("runs", "-e", "no-such-experiment"), 1, "no-such-experiment", "runlog experiments lists them");
        assertFailed(h.run("model", "no-such-model"), 1, "no-such-model");
        assertFailed(h.run("promote", "no-such-model", "1", "Staging"), 1, "no-such-model");
        assertFailed(h.run("alias", "iris-classifier", "champion", "9"), 1, "9");
    }

    @Test
    void namesWithControlCharactersReachTheTerminalEscaped() {
        String hostile = "esc\u001b[2J\u001b]0;pwned\u0007\nfake line\r\u202eevil";
        try (var run = h.tracker.startRun(hostile)) {
            run.setTag("note", "a\u009bb");
        }
        h.tracker.startRun("iris\u200b").close(); // looks like "iris" in a table unless shown
        h.tracker.startRun("iris\u00ad").close();
        Result r = h.run("experiments");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("esc\\u001B[2J\\u001B]0;pwned\\u0007\\nfake line\\r\\u202Eevil"), r.out());
        assertTrue(r.out().contains("iris\\u200B") && r.out().contains("iris\\u00AD"), r.out());
        assertTrue(r.out().chars().noneMatch(c -> c < 0x20 && c != '\n' || c == 0x202E || (c >= 0x7F && c <= 0x9F)), r.out());
        Result json = h.run("experiments", "--format", "json");
        assertTrue(json.out().contains("esc\\u001B[2J"), "JSON keeps the name, escaped as JSON: " + json.out());
    }

    @Test
    void runNamesInDiffHeadersAndTagValuesInGateFailuresReachTheTerminalEscaped() {
        String hostile = "run\u001b]0;pwned\u0007\u001b[2J\u2028";
        String a;
        String b;
        try (var run = h.tracker.newRun("iris").name(hostile).start()) {
            a = run.id();
        }
        try (var run = h.tracker.newRun("iris").name(hostile + "2").start()) {
            b = run.id();
        }
        h.registry.setVersionTag("iris-classifier", 2, "t", "v\u001b]0;pwned\u0007");
        Result diff = h.run("diff", a, b);
        Result promote = h.run("promote", "iris-classifier", "2", "Staging", "--gate", "tags.t = 'x'");
        assertEquals(1, promote.code(), promote::toString);
        java.nio.file.Path archive = scratch.resolve("hostile.tar.gz");
        Result export = h.run("export", a, archive.toString());
        Result imported = h.run("import", archive.toString());
        assertEquals(0, imported.code(), imported::toString);
        for (String printed : List.of(diff.out(), diff.err(), promote.out(), promote.err(), export.out(), imported.out())) {
            assertTrue(printed.chars().noneMatch(c -> c == 0x1B || c == 0x07 || c == 0x2028), printed);
        }
        assertTrue(diff.out().contains("run\\u001B]0;pwned\\u0007"), diff.out());
        assertTrue(promote.err().contains("actual 'v\\u001B]0;pwned\\u0007'"), promote.err());
    }

    @Test
    void promoteTakesStagingOrProductionAndSaysSoForAnyOtherStage() {
        for (String stage : List.of("Archived", "None")) {
            assertFailed(h.run("promote", "iris-classifier", "2", stage), 2,
                    "promote moves a version to Staging or Production, not " + stage);
        }
    }

    @Test
    void metricPrintsEveryPointAsTableCsvAndJson() throws Exception {
        assertEquals(List.of(
                "step  time                  value",
                "   0  2026-03-02T09:00:04Z    0.5",
                "   1  2026-03-02T09:00:08Z    0.8",
                "   2  2026-03-02T09:00:12Z   0.91"), h.run("metric", h.runA, "acc").lines());
        assertEquals(List.of("step,timestamp,value", "0,1772442004000,0.5", "1,1772442008000,0.8", "2,1772442012000,0.91"),
                h.run("metric", h.runA, "acc", "--format", "csv").lines());
        JsonNode json = json(h.run("metric", h.runA, "acc", "--format", "json").out());
        assertEquals(3, json.get("points").size());
        assertEquals(0.91, json.get("points").get(2).get("value").asDouble());
        assertEquals(2, json.get("points").get(2).get("step").asLong());
    }

    @Test
    void diffMarksWhatDiffers() throws Exception {
        Result r = h.run("diff", h.runA, h.runB, "--changed");
        assertEquals(0, r.code(), r::toString);
        assertEquals(List.of(
                "   key           lr-0.1  lr-0.01",
                "*  params.lr     0.1     0.01",
                "*  metrics.acc   0.91    0.85",
                "*  metrics.loss  0.3     0.4",
                "*  tags.team     vision  speech"), r.lines());
        assertTrue(h.run("diff", h.runA, h.runB).out().contains("\n   params.epochs                  10 "));
        String close;
        try (var run = h.tracker.startRun("iris")) {
            close = run.logMetric("acc", 0.9100000001).logMetric("loss", 0.123456789).id();
        }
        List<String> digits = h.run("diff", h.runA, close, "--changed").lines().stream()
                .map(line -> line.replaceAll(" +", " ")).toList();
        assertTrue(digits.contains("* metrics.acc 0.91 0.9100000001"), digits::toString);
        assertTrue(digits.contains("* metrics.loss 0.3 0.123457"), digits::toString);

        JsonNode json = json(h.run("diff", h.runA, h.runB, "--format", "json").out());
        JsonNode lr = null;
        for (JsonNode row : json.get("rows")) {
            if (row.get("key").asText().equals("params.lr")) {
                lr = row;
            }
        }
        assertEquals("0.1", lr.get("a").asText());
        assertTrue(lr.get("differs").asBoolean());
        // Numbers a script can compare, as the other JSON output gives them: not "0.91" nor "736 ms".
        java.util.Map<String, JsonNode> rows = new java.util.HashMap<>();
        json.get("rows").forEach(row -> rows.put(row.get("key").asText(), row));
        assertTrue(rows.get("metrics.acc").get("a").isNumber(), rows.get("metrics.acc")::toString);
        assertEquals(0.91, rows.get("metrics.acc").get("a").asDouble());
        assertTrue(rows.get("duration").get("a").isIntegralNumber(), rows.get("duration")::toString);
        var runA = h.tracker.getRun(h.runA).info();
        assertEquals(java.time.Duration.between(runA.startTime(), runA.endTime().orElseThrow()).toMillis(),
                rows.get("duration").get("a").asLong());
    }

    @Test
    void modelsAndModelShowVersionsStagesAliasesAndHistory() throws Exception {
        h.registry.setAlias("iris-classifier", "champion", 1);
        assertEquals(List.of(
                "name             versions  production  staging  aliases       updated",
                "iris-classifier         2  v1          -        @champion=v1  0 s ago"), h.run("models").lines());

        Result model = h.run("model", "iris-classifier");
        assertEquals(0, model.code(), model::toString);
        assertTrue(model.out().contains("version  stage       aliases    run_id"), model.out());
        assertTrue(model.out().contains("      1  Production  @champion  " + h.runA), model.out());
        assertTrue(model.out().indexOf("\n      2  ") < model.out().indexOf("\n      1  "), "newest version first: " + model.out());
        assertTrue(model.out().contains("2026-03-02 09:01        1  None -> Production"), model.out());
        assertTrue(model.out().contains("@champion -> v1"), model.out());

        JsonNode json = json(h.run("model", "iris-classifier", "--format", "json").out());
        assertEquals(2, json.get("versions").get(0).get("version").asInt(), "newest version first");
        assertEquals("Production", json.get("versions").get(1).get("stage").asText());
        assertEquals(1, json.get("aliases").get("champion").asInt());
        assertEquals("ALIAS_SET", json.get("history").get(json.get("history").size() - 1).get("action").asText());
        assertEquals(1, json(h.run("models", "--format", "json", "--filter", "name LIKE 'iris%'").out()).size());
        assertEquals("no registered models", h.run("models", "--filter", "name = 'x'").out().strip());
    }

    /** A promotion that kept the previous holder (MLflow's way, and the command's default) leaves two in Production: both are shown. */
    @Test
    void modelsShowsEveryVersionOfAStage() throws Exception {
        h.registry.transition("iris-classifier", 2, Stage.PRODUCTION);
        assertTrue(h.run("models").lines().get(1).contains("  v2 v1  "), h.run("models").out());
        JsonNode model = json(h.run("models", "--format", "json").out()).get(0);
        assertEquals(2, model.get("production").asInt(), "the highest, as latest(..) answers");
        assertEquals("[2,1]", model.get("production_versions").toString());
        assertEquals("[]", model.get("staging_versions").toString());
    }

    @Test
    void promoteMovesTheVersionWhenEveryGatePasses() {
        Result r = h.run("promote", "iris-classifier", "2", "staging", "--gate", "metrics.acc >= 0.8",
                "--gate", "metrics.loss < 0.5", "--comment", "nightly", "--user", "ci");
        assertEquals(0, r.code(), r::toString);
        assertEquals("iris-classifier version 2: None -> Staging (2 gates passed)\n", r.out());
        assertEquals(Stage.STAGING, h.registry.getVersion("iris-classifier", 2).stage());
        var last = h.registry.history("iris-classifier", 2).get(h.registry.history("iris-classifier", 2).size() - 1);
        assertEquals("nightly", last.comment());
        assertEquals("ci", last.user());
        assertEquals(List.of("metrics.acc >= 0.8", "metrics.loss < 0.5"), last.gates().stream().map(g -> g.gate()).toList());
    }

    @Test
    void aRejectedPromotionExitsOnePrintingEveryFailedGateAndChangesNothing() throws Exception {
        Result r = h.run("promote", "iris-classifier", "2", "Production", "--gate", "metrics.acc >= 0.9",
                "--gate", "tags.validated = 'true'", "--beats-current", "acc", "--beats-current", "loss:min");
        assertFailed(r, 1, "rejected by 4 gate(s); nothing changed",
                "failed: metrics.acc >= 0.9: actual 0.85, required >= 0.9",
                "failed: tags.validated = 'true'",
                "required > 0.91 (version 1)",
                "required < 0.3 (version 1)");
        assertEquals(5, r.err().lines().count(), r.err());
        assertEquals(Stage.NONE, h.registry.getVersion("iris-classifier", 2).stage());

        Result json = h.run("promote", "iris-classifier", "2", "Production", "--gate", "metrics.acc >= 0.9", "--format", "json");
        assertEquals(1, json.code());
        JsonNode body = json(json.out());
        assertFalse(body.get("promoted").asBoolean());
        assertEquals("metrics.acc >= 0.9", body.get("failed_gates").get(0).get("gate").asText());
        assertEquals("0.85", body.get("failed_gates").get(0).get("actual").asText());
    }

    @Test
    void beatsCurrentTakesAMetricKeyWithMinOrMax() {
        assertFailed(h.run("promote", "iris-classifier", "2", "Production", "--beats-current", ""), 2,
                "--beats-current: metric key must not be empty");
        assertFailed(h.run("promote", "iris-classifier", "2", "Production", "--beats-current", "acc:best"), 2,
                "--beats-current: 'acc:best' ends in ':best'; write KEY, KEY:max", "Try 'runlog promote --help'.");
        assertEquals(Stage.NONE, h.registry.getVersion("iris-classifier", 2).stage());
        // acc:max is acc, higher better: 0.85 does not beat version 1's 0.91.
        assertFailed(h.run("promote", "iris-classifier", "2", "Production", "--beats-current", "acc:max"), 1,
                "failed: metrics.acc beats the current production version: actual 0.85, required > 0.91 (version 1)");
    }

    @Test
    void promoteArchivesTheHolderOnlyWhenAsked() {
        assertEquals(0, h.run("promote", "iris-classifier", "2", "Production").code());
        assertEquals(Stage.PRODUCTION, h.registry.getVersion("iris-classifier", 1).stage());
        assertEquals(0, h.run("promote", "iris-classifier", "2", "Staging").code());

        assertFailed(h.run("promote", "iris-classifier", "2", "Production", "--archive-existing", "--beats-current", "acc"), 1,
                "required > 0.91 (version 1)");
        assertEquals(Stage.STAGING, h.registry.getVersion("iris-classifier", 2).stage());
        assertEquals(Stage.PRODUCTION, h.registry.getVersion("iris-classifier", 1).stage());

        Result r = h.run("promote", "iris-classifier", "2", "Production", "--archive-existing", "--gate", "metrics.acc > 0.8");
        assertEquals("iris-classifier version 2: Staging -> Production (1 gate passed; previous holders archived)\n", r.out());
        assertEquals(Stage.ARCHIVED, h.registry.getVersion("iris-classifier", 1).stage());
    }

    @Test
    void badGatesAndStagesAreUsageErrors() {
        assertFailed(h.run("promote", "iris-classifier", "2", "Prod"), 2, "unknown stage 'Prod'");
        assertFailed(h.run("promote", "iris-classifier", "2", "Production", "--gate", "accuracy > 0.9"), 2,
                "--gate: gate 'accuracy > 0.9' is not of the form");
        assertFailed(h.run("promote", "iris-classifier", "two", "Production"), 2, "VERSION");
        assertEquals(Stage.NONE, h.registry.getVersion("iris-classifier", 2).stage());
    }

    @Test
    void aliasPointsAndMoves() {
        assertEquals("iris-classifier@champion -> version 1 (Production)\n", h.run("alias", "iris-classifier", "champion", "1").out());
        assertEquals("iris-classifier@champion -> version 2 (None)\n", h.run("alias", "iris-classifier", "champion", "2").out());
        assertEquals(2, h.registry.getByAlias("iris-classifier", "champion").version());
        assertFailed(h.run("alias", "iris-classifier", "latest", "2"), 1, "latest");
    }

    @Test
    void helpOnEveryCommandVersionAndCompletion() {
        for (String command : List.of("ui", "experiments", "runs", "run", "metric", "diff", "models", "model", "promote",
                "register", "alias", "export", "import", "gc", "doctor", "generate-completion")) {
            Result r = h.run(command, "--help");
            assertEquals(0, r.code(), command);
            assertTrue(r.out().startsWith("Usage: runlog " + command), r.out());
        }
        Result top = h.run("--help");
        assertTrue(top.out().contains("Exit codes: 0 done, 1 the request failed, 2 usage error."), top.out());
        assertTrue(h.run("--version").out().startsWith("runlog "));
        Result completion = h.run("generate-completion");
        assertEquals(0, completion.code());
        assertTrue(completion.out().contains("complete -F _complete_runlog"), completion.out());
        // Only the named subcommand is built for a command line; help, completion and a wrong name see them all.
        Result unknown = h.run("rnus");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().startsWith("runlog: unknown command 'rnus'\nTry 'runlog --help'."), unknown.err());
        for (String command : List.of("ui", "experiments", "runs", "metric", "promote", "copy", "doctor")) {
            assertTrue(top.out().contains("\n  " + command + " "), command + " missing from\n" + top.out());
            assertTrue(completion.out().contains(command), command);
        }
    }

    @Test
    void theSubcommandIsFoundPastRootOptions() {
        assertEquals(RunCommands.Runs.class, RunlogCli.subcommandNamed("--store", "sqlite:runs", "--verbose", "runs", "x"));
        assertEquals(RunCommands.MetricHistory.class, RunlogCli.subcommandNamed("--store=memory:", "metric", "r", "loss"));
        assertEquals(null, RunlogCli.subcommandNamed("--store", "metric"));
        assertEquals(null, RunlogCli.subcommandNamed("--help"));
        Result viaOptions = h.run("--verbose", "experiments");
        assertEquals(0, viaOptions.code(), viaOptions.err());
    }

    @Test
    void verboseAddsTheStackTrace() {
        Result r = h.run("run", "0123456789abcdef0123456789abcdef", "--verbose");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("\tat dev.runlog"), r.err());
        assertTrue(r.err().strip().endsWith("and --store"), r.err());
    }
}
