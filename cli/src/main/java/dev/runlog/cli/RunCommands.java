package dev.runlog.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.runlog.cli.Columns.Column;
import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.DatasetInput;
import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.ExperimentSummary;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.MetricSeries;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunQuery;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.ViewType;
import dev.runlog.tracking.spi.InputRules;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Commands that read experiments and runs: experiments, runs, run, metric, diff. */
final class RunCommands {
    private RunCommands() {
    }

    static String statusColor(String status) {
        return switch (status) {
            case "FINISHED" -> CliCommand.GREEN;
            case "FAILED", "KILLED" -> CliCommand.RED;
            case "RUNNING", "SCHEDULED" -> CliCommand.YELLOW;
            default -> null;
        };
    }

    @Command(name = "experiments", mixinStandardHelpOptions = true, description = "List experiments with their run counts.")
    static final class Experiments extends FormattedCommand {
        @Option(names = "--view", defaultValue = "active", description = "active (the default), deleted or all")
        ViewType view;


        @Override
        public Integer run() {
            Tracker tracker = ctx().tracker();
            // One aggregate read for every experiment: no run is read, whatever the store's size.
            List<ExperimentSummary> summaries = tracker.experimentSummaries(view);
            // With deleted experiments among them, which is which: the name alone does not say.
            boolean staged = view == ViewType.ALL;
            Text.Table table = staged ? new Text.Table("id", "name", "stage", "runs", "deleted_runs", "last_activity", "created")
                    : new Text.Table("id", "name", "runs", "deleted_runs", "last_activity", "created");
            List<Object> json = new ArrayList<>();
            for (ExperimentSummary summary : summaries) {
                Experiment experiment = summary.experiment();
                if (format == Format.JSON) {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("experiment_id", experiment.id());
                    e.put("name", experiment.name());
                    e.put("lifecycle_stage", experiment.lifecycleStage().name().toLowerCase(Locale.ROOT));
                    e.put("creation_time", experiment.creationTime().toEpochMilli());
                    e.put("run_count", summary.activeRuns());
                    e.put("deleted_run_count", summary.deletedRuns());
                    e.put("last_activity", summary.lastActivity().toEpochMilli());
                    e.put("tags", new TreeMap<>(experiment.tags()));
                    json.add(e);
                } else {
                    List<String> row = new ArrayList<>(List.of(experiment.id(), experiment.name()));
                    if (staged) {
                        row.add(experiment.lifecycleStage().name().toLowerCase(Locale.ROOT));
                    }
                    row.addAll(List.of(Long.toString(summary.activeRuns()), Long.toString(summary.deletedRuns()),
                            Text.ago(summary.lastActivity(), ctx().clock), Text.date(experiment.creationTime(), ctx().clock)));
                    table.row(row);
                }
            }
            if (format == Format.JSON) {
                ctx().out.println(Text.json(json));
            } else if (table.isEmpty()) {
                ctx().out.println("no experiments in " + describeStore(ctx()));
            } else {
                table.print(ctx().out, ctx().color);
            }
            return 0;
        }
    }

    static String describeStore(Context ctx) {
        return InputRules.hideCredentials(ctx.storeUri != null ? ctx.storeUri : Tracker.defaultUri());
    }

    @Command(name = "runs", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Search runs with the search grammar.",
                    "csv and json stream every matching run (params and latest metrics as columns) without holding them in memory"
                            + " (csv without --columns spools rows to a temporary file until every key is known);"
                            + " a table shows the first 50 unless --max says otherwise."})
    static final class Runs extends FormattedCommand {
        @Override
        Format[] offered() {
            return Format.values();
        }

        static final int TABLE_ROWS = 50;

        @Option(names = {"-e", "--experiment"}, paramLabel = "EXP", description = "Experiment name or id; repeatable. All when omitted.")
        List<String> experiments = new ArrayList<>();

        @Option(names = "--filter", paramLabel = "F", description = "e.g. \"metrics.acc > 0.9 and params.lr = '0.1'\"")
        String filter;

        @Option(names = "--order-by", paramLabel = "K", description = "e.g. \"metrics.acc DESC\"; repeatable. Default start_time DESC.")
        List<String> orderBy = new ArrayList<>();

        // Split here, not by picocli, which drops trailing empty names ("run_id," would pass as "run_id").
        @Option(names = "--columns", paramLabel = "C[,C...]",
                description = "run_id, run_name, status, ..., params.K, metrics.K, tags.K")
        List<String> columns;

        @Option(names = "--max", paramLabel = "N", description = "At most N runs.")
        Integer max;

        @Option(names = "--view", defaultValue = "active", description = "active (the default), deleted or all")
        ViewType view;


        @Override
        public Integer run() {
            if (max != null && max < 1) {
                throw new UsageException("--max must be at least 1, got " + max);
            }
            List<Column> chosen = columns == null ? null
                    : Columns.parse(columns.stream().flatMap(c -> java.util.Arrays.stream(c.split(",", -1))).toList());
            switch (format) {
                case TABLE -> table(chosen);
                case CSV -> csv(chosen);
                case JSON -> json(chosen);
                default -> throw new IllegalStateException();
            }
            return 0;
        }

        private Stream<Run> runs(Optional<Integer> limit) {
            RunQuery query = ctx().tracker().searchRuns().viewType(view);
            if (!experiments.isEmpty()) {
                query.experiments(experiments.toArray(String[]::new));
            }
            if (filter != null) {
                query.filter(filter);
            }
            if (!orderBy.isEmpty()) {
                query.orderBy(orderBy.toArray(String[]::new));
            }
            Stream<Run> runs = query.stream();
            return limit.map(n -> runs.limit(n)).orElse(runs);
        }

        private void table(List<Column> chosen) {
            int limit = max != null ? max : TABLE_ROWS;
            List<Run> rows;
            try (Stream<Run> runs = runs(Optional.of(limit == Integer.MAX_VALUE ? limit : limit + 1))) {
                rows = new ArrayList<>(runs.toList());
            }
            boolean more = rows.size() > limit;
            if (more) {
                rows.remove(limit);
            }
            if (rows.isEmpty()) {
                ctx().out.println("no runs match");
                return;
            }
            List<Column> shown = chosen != null ? chosen : Columns.allOf(Columns.TABLE_DEFAULT, rows);
            Text.Table table = new Text.Table(shown.stream().map(Column::header).toList());
            for (Run run : rows) {
                table.row(shown.stream().map(c -> c.human(run, ctx().clock)).toList());
            }
            table.color(shown.indexOf(new Column(Columns.Kind.ATTRIBUTE, "status")), RunCommands::statusColor);
            table.print(ctx().out, ctx().color);
            if (more) {
                ctx().out.flush();
                ctx().err.println("(the first " + limit + " runs; --max N shows more, --format csv streams them all)");
            }
        }

        private void csv(List<Column> chosen) {
            PrintWriter out = ctx().out;
            long[] written = {0};
            if (chosen == null) {
                try (CsvSpool spool = new CsvSpool(Columns.attributes(Columns.ATTRIBUTES));
                     Stream<Run> runs = ReadAhead.of(runs(Optional.ofNullable(max)))) {
                    runs.forEach(run -> {
                        spool.add(run);
                        progress(++written[0]);
                    });
                    ctx().progressDone();
                    spool.writeTo(out);
                }
                return;
            }
            try (Stream<Run> runs = ReadAhead.of(runs(Optional.ofNullable(max)))) {
                java.util.Iterator<Run> each = runs.iterator();
                // The first page is read before the header, so a bad filter fails with nothing on stdout.
                each.hasNext();
                out.println(Text.csvLine(chosen.stream().map(Column::header).toList()));
                while (each.hasNext()) {
                    Run run = each.next();
                    List<String> fields = new ArrayList<>(chosen.size());
                    for (Column column : chosen) {
                        fields.add(column.csv(run));
                    }
                    out.println(Text.csvLine(fields));
                    progress(++written[0]);
                }
            }
            ctx().progressDone();
        }

        private void json(List<Column> chosen) {
            List<Column> only = chosen == null ? List.of() : chosen;
            PrintWriter out = ctx().out;
            out.print("[");
            long[] written = {0};
            try (Stream<Run> runs = ReadAhead.of(runs(Optional.ofNullable(max)))) {
                runs.forEach(run -> {
                    out.print(written[0] == 0 ? "\n" : ",\n");
                    out.print(Text.json(Columns.json(run, only)));
                    progress(++written[0]);
                });
            }
            out.println(written[0] == 0 ? "]" : "\n]");
            ctx().progressDone();
        }

        private void progress(long written) {
            if (written % 10_000 == 0) {
                ctx().progress(written + " runs written");
            }
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Everything about one run.")
    static final class Show extends FormattedCommand {
        @Parameters(paramLabel = "RUN_ID")
        String runId;


        @Override
        public Integer run() {
            Tracker tracker = ctx().tracker();
            Run run = tracker.getRun(runId);
            List<ArtifactEntry> artifacts = tracker.listArtifacts(runId, "");
            if (format == Format.JSON) {
                Map<String, Object> json = Columns.json(run, List.of());
                List<Object> inputs = new ArrayList<>();
                for (DatasetInput input : run.inputs()) {
                    Map<String, Object> i = new LinkedHashMap<>();
                    i.put("name", input.dataset().name());
                    i.put("digest", input.dataset().digest());
                    i.put("source", input.dataset().source());
                    i.put("context", input.context());
                    i.put("rows", input.dataset().profile().rowCount());
                    inputs.add(i);
                }
                json.put("inputs", inputs);
                json.put("artifacts", artifacts.stream().map(RunCommands::artifactJson).toList());
                ctx().out.println(Text.json(json));
                return 0;
            }
            PrintWriter out = ctx().out;
            var info = run.info();
            Text.Table head = new Text.Table("run", info.id());
            head.row("name", info.name());
            head.row("experiment", tracker.getExperiment(info.experimentId()).name() + " (" + info.experimentId() + ")");
            head.row("status", info.status().name() + (info.lifecycleStage().name().equals("DELETED") ? " (deleted)" : ""));
            head.row("started", Text.date(info.startTime(), ctx().clock) + " (" + Text.ago(info.startTime(), ctx().clock) + ")");
            head.row("duration", Text.duration(info.startTime(), info.endTime()));
            head.row("artifacts", info.artifactUri());
            head.print(out, false);
            section(out, "params", run.data().params().isEmpty(), () -> {
                Text.Table t = new Text.Table("key", "value");
                new TreeMap<>(run.data().params()).forEach(t::row);
                return t;
            });
            section(out, "metrics", run.data().latestMetrics().isEmpty(), () -> {
                Text.Table t = new Text.Table("key", "latest", "step");
                new TreeMap<>(run.data().latestMetrics()).forEach((k, m) -> t.row(k, Text.number(m.value()), Long.toString(m.step())));
                return t;
            });
            section(out, "tags", run.data().tags().isEmpty(), () -> {
                Text.Table t = new Text.Table("key", "value");
                new TreeMap<>(run.data().tags()).forEach(t::row);
                return t;
            });
            section(out, "inputs", run.inputs().isEmpty(), () -> {
                Text.Table t = new Text.Table("dataset", "context", "rows", "digest");
                run.inputs().forEach(i -> t.row(i.dataset().name(), i.context(),
                        Long.toString(i.dataset().profile().rowCount()), i.dataset().digest()));
                return t;
            });
            section(out, "artifacts", artifacts.isEmpty(), () -> {
                Text.Table t = new Text.Table("path", "size", "sha256");
                artifacts.forEach(a -> t.row(a.path() + (a.isDirectory() ? "/" : ""),
                        a.isDirectory() ? "" : Text.size(a.size()), a.sha256().orElse("")));
                return t;
            });
            return 0;
        }

        private void section(PrintWriter out, String title, boolean empty, java.util.function.Supplier<Text.Table> table) {
            out.println();
            out.println(title + (empty ? ": none" : ""));
            if (!empty) {
                table.get().print(out, ctx().color);
            }
        }
    }

    static Map<String, Object> artifactJson(ArtifactEntry entry) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("path", entry.path());
        a.put("is_dir", entry.isDirectory());
        a.put("size", entry.size());
        a.put("sha256", entry.sha256().orElse(null));
        return a;
    }

    @Command(name = "metric", mixinStandardHelpOptions = true, description = "Every point of one metric of a run.")
    static final class MetricHistory extends FormattedCommand {
        @Override
        Format[] offered() {
            return Format.values();
        }

        @Parameters(index = "0", paramLabel = "RUN_ID")
        String runId;

        @Parameters(index = "1", paramLabel = "KEY")
        String key;


        @Override
        public Integer run() {
            MetricSeries series = ctx().tracker().metricSeries(runId, key);
            if (series.size() == 0 && !ctx().tracker().getRun(runId).data().latestMetrics().containsKey(key)) {
                throw new dev.runlog.tracking.NotFoundException("run " + runId + " has no metric '" + key + "'; it has "
                        + new TreeSet<>(ctx().tracker().getRun(runId).data().latestMetrics().keySet()));
            }
            PrintWriter out = ctx().out;
            switch (format) {
                case CSV -> {
                    out.println("step,timestamp,value");
                    for (int i = 0; i < series.size(); i++) {
                        out.println(series.steps()[i] + "," + series.timestamps()[i] + "," + Text.exact(series.values()[i]));
                    }
                }
                case JSON -> json(out, series);
                default -> {
                    // Made twice (measured, then printed) rather than kept: a kept row costs some
                    // 300 bytes, against the series' 24 per point.
                    new Text.Table("step", "time", "value").print(out, ctx().color, series.size(), i -> List.of(
                            Long.toString(series.steps()[i]), Text.instant(series.timestamps()[i]), Text.number(series.values()[i])));
                }
            }
            return 0;
        }

        /** The series as one JSON object, written point by point (a map per point ran millions of points out of heap). */
        private void json(PrintWriter out, MetricSeries series) {
            try (JsonGenerator json = Text.Json.MAPPER.getFactory().createGenerator(out)) {
                json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                json.writeStartObject();
                json.writeStringField("run_id", runId);
                json.writeStringField("key", key);
                json.writeArrayFieldStart("points");
                for (int i = 0; i < series.size(); i++) {
                    json.writeStartObject();
                    json.writeNumberField("step", series.steps()[i]);
                    json.writeNumberField("timestamp", series.timestamps()[i]);
                    json.writeNumberField("value", series.values()[i]);
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write JSON: " + e.getMessage(), e);
            }
            out.println();
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true,
            description = "Two runs side by side: params, latest metrics and tags; '*' marks what differs.")
    static final class Diff extends FormattedCommand {
        @Parameters(index = "0", paramLabel = "RUN_A")
        String runA;

        @Parameters(index = "1", paramLabel = "RUN_B")
        String runB;

        @Option(names = "--changed", description = "Only the rows that differ.")
        boolean changedOnly;


        @Override
        public Integer run() {
            Run a = ctx().tracker().getRun(runA);
            Run b = ctx().tracker().getRun(runB);
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"status", a.info().status().name(), b.info().status().name()});
            rows.add(new String[] {"duration", Text.duration(a.info().startTime(), a.info().endTime()),
                    Text.duration(b.info().startTime(), b.info().endTime())});
            compare(rows, "params.", a.data().params(), b.data().params());
            compare(rows, "metrics.", numbers(a), numbers(b));
            compare(rows, "tags.", a.data().tags(), b.data().tags());
            if (format == Format.JSON) {
                List<Object> json = new ArrayList<>();
                for (String[] row : rows) {
                    boolean differs = !Objects.equals(row[1], row[2]);
                    if (differs || !changedOnly) {
                        Map<String, Object> r = new LinkedHashMap<>();
                        r.put("key", row[0]);
                        r.put("a", jsonValue(row[0], row[1], a));
                        r.put("b", jsonValue(row[0], row[2], b));
                        r.put("differs", differs);
                        json.add(r);
                    }
                }
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("run_a", a.info().id());
                out.put("run_b", b.info().id());
                out.put("rows", json);
                ctx().out.println(Text.json(out));
                return 0;
            }
            Text.Table table = new Text.Table("", "key", a.info().name(), b.info().name());
            for (String[] row : rows) {
                boolean differs = !Objects.equals(row[1], row[2]);
                if (differs || !changedOnly) {
                    boolean metric = row[0].startsWith("metrics.");
                    // Metrics read in six digits, unless that would hide the difference being shown.
                    boolean shorten = metric && !Objects.equals(shown(row[1]), shown(row[2]));
                    table.row(differs ? "*" : "", row[0], cell(row[1], shorten), cell(row[2], shorten));
                }
            }
            if (table.isEmpty()) {
                ctx().out.println("no differences between " + Text.visible(a.info().name()) + " and " + Text.visible(b.info().name()));
                return 0;
            }
            table.color(0, marker -> marker.equals("*") ? YELLOW : null);
            table.print(ctx().out, ctx().color);
            return 0;
        }

        /**
         * A row's value as the other JSON output gives it: the duration in milliseconds (null while
         * running), a metric as a number (NaN and infinities as strings), anything else as text.
         */
        private static Object jsonValue(String key, String value, Run run) {
            if (key.equals("duration")) {
                return run.info().endTime().map(end -> java.time.Duration.between(run.info().startTime(), end).toMillis())
                        .orElse(null);
            }
            return value != null && key.startsWith("metrics.") ? (Object) Double.parseDouble(value) : value;
        }

        private static String shown(String exact) {
            return exact == null ? null : Text.number(Double.parseDouble(exact));
        }

        private static String cell(String value, boolean shorten) {
            return value == null ? "-" : shorten ? shown(value) : value;
        }

        /** Latest metric values, every digit: two runs differ where these differ. */
        private static Map<String, String> numbers(Run run) {
            Map<String, String> values = new TreeMap<>();
            for (Map.Entry<String, Metric> e : run.data().latestMetrics().entrySet()) {
                values.put(e.getKey(), Text.exact(e.getValue().value()));
            }
            return values;
        }

        private static void compare(List<String[]> rows, String prefix, Map<String, String> a, Map<String, String> b) {
            TreeSet<String> keys = new TreeSet<>(a.keySet());
            keys.addAll(b.keySet());
            for (String key : keys) {
                rows.add(new String[] {prefix + key, a.get(key), b.get(key)});
            }
        }
    }
}
