package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.KitData.START;
import static dev.runlog.tracking.tck.KitData.dataset;
import static dev.runlog.tracking.tck.KitData.sha256;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunPage;
import dev.runlog.tracking.RunQuery;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Rule 18: run search. Every case runs against one fixture of 16 runs in three experiments, so
 * that each expected list is exact; {@code ${...}} in a filter stands for a value only known once
 * the fixture is built (a run id, a start or end time, a dataset digest, an artifact URI), and
 * {@code {rA rB}} in an expected list for runs that tie on every order key, which come in run id
 * order, in the direction of the last key.
 *
 * <p>The fixture, run {@code rNN} starting at {@code START + NN s}:
 * <pre>
 * run exp   status    acc (latest)        loss  lr     opt    team    user     inputs
 * r01 alpha FINISHED  0.5                 0.4   0.1    adam   vision  u-alice  iris@v1 training
 * r02 alpha FINISHED  0.9                 0.2   0.01   Adam   Vision  u-bob    iris@v1 training, iris@v2 eval
 * r03 alpha FINISHED  0.7 (step 5; 0.95 logged later at step 2) 0.3 0.001 sgd nlp u-alice wine@v1 training
 * r04 beta  FAILED    NaN (after 0.8)     -     0.1    adamw  vision  u-carol  -
 * r05 alpha FINISHED  -0.0                NaN   -      ADAMW  speech  u-bob    iris@v2 eval
 * r06 beta  FINISHED  +Infinity           0.1   0.1    sgd    -       u-alice  -
 * r07 alpha FINISHED  -Infinity           -     0.01   -      nlp     u-bob    -
 * r08 alpha FINISHED  0.0                 0.5   0.1    adam   -       u-carol  -
 * r09 beta  KILLED    -                   0.25  -      sgd    vision  u-alice  -
 * r10 alpha FINISHED  0.9                 0.2   0.01   adam   vision  u-bob    wine@v1 eval
 * r11 beta  RUNNING   -                   -     0.1    -      vision  u-alice  -
 * r12 beta  FAILED    0.6 (NaN before)    -     -      adam   nlp     u-bob    iris@v1 eval
 * r13 alpha FINISHED, then deleted: 0.99  -     0.1    adam   vision  u-alice  -
 * r14 gamma FINISHED  0.1                 -     0.1    adam   vision  u-carol  iris@v1 training
 * r15 gamma FINISHED  -                   0.6   -      sgd    speech  u-alice  -
 * r16 gamma RUNNING   1.0                 -     0.001  adam   vision  u-bob    -
 * </pre>
 * The latest points of r03, r04 and r12 were logged in separate batches. Metric {@code f1}: r08
 * 0.2 (after 0.3 at the same step, 1 ms earlier), r10 0.4 (with 0.1 at the same step and
 * timestamp). r14's team was nlp, then overwritten. Runs end in {@link #END_ORDER}, one second apart from {@code START + 100 s}. Also: params
 * {@code learning rate} (r03 0.5, r06 0.05), {@code p} (r07, an injection attempt),
 * {@code city} (r09 Zürich, r10 ZÜRICH); tags {@code mlflow.runName} (r01, r04, r15) and
 * {@code note} (r07 {@code x' OR 1=1 --}, r08 {@code it' OR '1'='1}, r09 {@code a*b?[c]},
 * r10 {@code aXb-c}); {@code runlog.user} as the user column.
 */
public interface RunSearchFixture {

    String ALPHA = "search-alpha";
    String BETA = "search-beta";
    String GAMMA = "search-gamma";
    List<String> END_ORDER = List.of("r03", "r01", "r02", "r05", "r04", "r07", "r06", "r08",
            "r09", "r10", "r12", "r13", "r14", "r15");
    /** Every active run, in the default order: start_time DESC. */
    String ACTIVE = "r16 r15 r14 r12 r11 r10 r09 r08 r07 r06 r05 r04 r03 r02 r01";
    Pattern PLACEHOLDER = Pattern.compile("\\$\\{(\\w+):([^}]+)}");

    /** The fixture's runs by name, as stored once built. */
    static Map<String, Run> runs(StoreHarness kit) {
        return kit.fixture("search-runs", LinkedHashMap::new);
    }

    @BeforeEach
    default void buildFixture(Tracker tracker, MutableClock clock, StoreHarness kit) {
        tracker.createExperiment(ALPHA);
        clock.advanceMillis(10);
        tracker.createExperiment(BETA);
        clock.advanceMillis(10);
        tracker.createExperiment(GAMMA);
        Map<String, ActiveRun> started = new LinkedHashMap<>();
        start(kit, started, "r01", ALPHA, "u-alice", run -> run.logParams(Map.of("lr", "0.1", "opt", "adam", "layers", "2"))
                .logMetric("acc", 0.5, 0).logMetric("loss", 0.4, 0)
                .setTag("team", "vision").setTag("mlflow.runName", "r01")
                .logInput(dataset("iris", "v1"), "training"));
        start(kit, started, "r02", ALPHA, "u-bob", run -> run.logParams(Map.of("lr", "0.01", "opt", "Adam"))
                .logMetric("acc", 0.9, 0).logMetric("loss", 0.2, 0).setTag("team", "Vision")
                .logInput(dataset("iris", "v1"), "training").logInput(dataset("iris", "v2"), "eval"));
        start(kit, started, "r03", ALPHA, "u-alice", run -> run
                .logParams(Map.of("lr", "0.001", "opt", "sgd", "learning rate", "0.5"))
                .logMetric("acc", 0.7, 5).flush().logMetric("acc", 0.95, 2).logMetric("loss", 0.3, 0).setTag("team", "nlp")
                .logInput(dataset("wine", "v1"), "training"));
        start(kit, started, "r04", BETA, "u-carol", run -> run.logParams(Map.of("lr", "0.1", "opt", "adamw"))
                .logMetric("acc", 0.8, 0).flush().logMetric("acc", Double.NaN, 1)
                .setTag("team", "vision").setTag("mlflow.runName", "r04"));
        start(kit, started, "r05", ALPHA, "u-bob", run -> run.logParam("opt", "ADAMW")
                .logMetric("acc", -0.0, 0).logMetric("loss", Double.NaN, 0).setTag("team", "speech")
                .logInput(dataset("iris", "v2"), "eval"));
        start(kit, started, "r06", BETA, "u-alice", run -> run
                .logParams(Map.of("lr", "0.1", "opt", "sgd", "learning rate", "0.05"))
                .logMetric("acc", Double.POSITIVE_INFINITY, 0).logMetric("loss", 0.1, 0));
        start(kit, started, "r07", ALPHA, "u-bob", run -> run.logParams(Map.of("lr", "0.01", "p", "x' OR 1=1 --"))
                .logMetric("acc", Double.NEGATIVE_INFINITY, 0).setTag("team", "nlp").setTag("note", "x' OR 1=1 --"));
        start(kit, started, "r08", ALPHA, "u-carol", run -> {
            run.logParams(Map.of("lr", "0.1", "opt", "adam"))
                    .logMetric("acc", 0.0, 0).logMetric("loss", 0.5, 0).setTag("note", "it' OR '1'='1")
                    .logMetric("f1", 0.3, 1);
            clock.advanceMillis(1);
            run.logMetric("f1", 0.2, 1); // same step, later timestamp: the latest
        });
        start(kit, started, "r09", BETA, "u-alice", run -> run.logParams(Map.of("opt", "sgd", "city", "Zürich"))
                .logMetric("loss", 0.25, 0).setTag("team", "vision").setTag("note", "a*b?[c]"));
        start(kit, started, "r10", ALPHA, "u-bob", run -> run.logParams(Map.of("lr", "0.01", "opt", "adam", "city", "ZÜRICH"))
                .logMetric("acc", 0.9, 0).logMetric("loss", 0.2, 0).setTag("team", "vision").setTag("note", "aXb-c")
                .logMetric("f1", 0.4, 0).logMetric("f1", 0.1, 0) // same step and timestamp: the larger is the latest
                .logInput(dataset("wine", "v1"), "eval"));
        start(kit, started, "r11", BETA, "u-alice", run -> run.logParam("lr", "0.1").setTag("team", "vision"));
        start(kit, started, "r12", BETA, "u-bob", run -> run.logParam("opt", "adam")
                .logMetric("acc", 0.3, 0).flush().logMetric("acc", Double.NaN, 10).flush().logMetric("acc", 0.6, 11)
                .setTag("team", "nlp").logInput(dataset("iris", "v1"), "eval"));
        start(kit, started, "r13", ALPHA, "u-alice", run -> run.logParams(Map.of("lr", "0.1", "opt", "adam"))
                .logMetric("acc", 0.99, 0).setTag("team", "vision"));
        start(kit, started, "r14", GAMMA, "u-carol", run -> run.logParams(Map.of("lr", "0.1", "opt", "adam"))
                .logMetric("acc", 0.1, 0).setTag("team", "nlp").setTag("team", "vision").logInput(dataset("iris", "v1"), "training"));
        start(kit, started, "r15", GAMMA, "u-alice", run -> run.logParam("opt", "sgd")
                .logMetric("loss", 0.6, 0).setTag("team", "speech").setTag("mlflow.runName", "r15"));
        start(kit, started, "r16", GAMMA, "u-bob", run -> run.logParams(Map.of("lr", "0.001", "opt", "adam"))
                .logMetric("acc", 1.0, 0).setTag("team", "vision"));
        clock.set(START.plusSeconds(100));
        for (String name : END_ORDER) {
            started.get(name).end(switch (name) {
                case "r04", "r12" -> RunStatus.FAILED;
                case "r09" -> RunStatus.KILLED;
                default -> RunStatus.FINISHED;
            });
            clock.advanceMillis(1000);
        }
        tracker.deleteRun(started.get("r13").id());
        started.forEach((name, run) -> runs(kit).put(name, tracker.getRun(run.id())));
        clock.set(START.plusSeconds(200));
    }

    private static void start(StoreHarness kit, Map<String, ActiveRun> started, String name, String experiment, String user, Consumer<ActiveRun> body) {
        kit.clock().set(START.plusSeconds(Integer.parseInt(name.substring(1))));
        ActiveRun run = kit.tracker().newRun(experiment).name(name).tag("runlog.user", user).start();
        body.accept(run);
        run.flush();
        started.put(name, run);
    }

    /** The filter with each {@code ${kind:arg}} replaced by the value it names. */
    static String resolve(StoreHarness kit, String filter) {
        java.util.regex.Matcher m = PLACEHOLDER.matcher(filter);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String arg = m.group(2);
            String value = switch (m.group(1)) {
                case "id" -> fixtureRun(kit, arg).info().id();
                case "start" -> Long.toString(fixtureRun(kit, arg).info().startTime().toEpochMilli());
                case "end" -> Long.toString(fixtureRun(kit, arg).info().endTime().orElseThrow().toEpochMilli());
                case "uri" -> fixtureRun(kit, arg).info().artifactUri().replace("'", "''");
                case "sha" -> sha256(arg.getBytes(StandardCharsets.UTF_8));
                case "exp" -> kit.tracker().getExperimentByName(arg).orElseThrow().id();
                default -> throw new IllegalArgumentException("no placeholder kind " + m.group(1));
            };
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    static Run fixtureRun(StoreHarness kit, String name) {
        Run run = runs(kit).get(name);
        assertNotNull(run, () -> "no fixture run " + name);
        return run;
    }

    /** Run names in expected order; a {@code {...}} group is put in run id order, in the last key's direction. */
    static List<String> expected(StoreHarness kit, String expected, String order) {
        String[] clauses = order.split("\\|");
        boolean descending = order.isBlank()
                || clauses[clauses.length - 1].trim().toUpperCase(java.util.Locale.ROOT).endsWith(" DESC");
        List<String> out = new ArrayList<>();
        List<String> group = null;
        for (String token : expected.trim().split("\\s+")) {
            if (token.isEmpty()) {
                continue;
            }
            if (token.startsWith("{")) {
                group = new ArrayList<>();
                token = token.substring(1);
            }
            boolean closes = token.endsWith("}");
            if (closes) {
                token = token.substring(0, token.length() - 1);
            }
            if (group != null) {
                group.add(token);
            } else {
                out.add(token);
            }
            if (closes) {
                group.sort(java.util.Comparator.comparing((String n) -> fixtureRun(kit, n).info().id()));
                if (descending) {
                    java.util.Collections.reverse(group);
                }
                out.addAll(group);
                group = null;
            }
        }
        return out;
    }

    static List<String> names(List<Run> found) {
        return found.stream().map(r -> r.info().name()).toList();
    }

    static RunQuery query(StoreHarness kit, String filter, String order) {
        RunQuery query = kit.tracker().searchRuns().filter(resolve(kit, filter));
        if (!order.isBlank()) {
            query.orderBy(order.split("\\|"));
        }
        return query;
    }

    /** Every page of the query, {@code size} runs at most each, following the tokens; checks the pages' shape. */
    static List<Run> allPages(java.util.function.Supplier<RunQuery> query, int size) {
        return KitAssertions.allPages(size, token -> {
            RunQuery q = query.get().maxResults(size);
            token.ifPresent(q::pageToken);
            RunPage page = q.page();
            return new KitAssertions.Page<>(page.runs(), page.nextPageToken());
        });
    }

    static Arguments row(String filter, String order, String expected) {
        return Arguments.of(filter, order, expected);
    }
}
