package dev.runlog.cli;

import dev.runlog.tracking.Metric;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunInfo;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The columns of a runs table: run attributes, and {@code params.K}, {@code metrics.K} (the latest
 * value) and {@code tags.K} as in the search grammar. The same column reads for people (humanized)
 * and for CSV (exact: every digit of a metric, times in ISO-8601 UTC).
 */
final class Columns {
    static final List<String> ATTRIBUTES = List.of("run_id", "run_name", "experiment_id", "status", "start_time",
            "end_time", "duration", "lifecycle_stage", "artifact_uri");
    /** What a table shows before its params and metrics when --columns is not given. */
    static final List<String> TABLE_DEFAULT = List.of("run_id", "run_name", "status", "start_time", "duration");

    private Columns() {
    }

    enum Kind { ATTRIBUTE, PARAM, METRIC, TAG }

    record Column(Kind kind, String key) {
        String header() {
            return switch (kind) {
                case ATTRIBUTE -> key;
                case PARAM -> "params." + key;
                case METRIC -> "metrics." + key;
                case TAG -> "tags." + key;
            };
        }

        String csv(Run run) {
            return switch (kind) {
                case ATTRIBUTE -> attribute(run.info(), null);
                case PARAM -> run.data().params().getOrDefault(key, "");
                case METRIC -> {
                    Metric latest = run.data().latestMetrics().get(key);
                    yield latest == null ? "" : Text.exact(latest.value());
                }
                case TAG -> run.data().tags().getOrDefault(key, "");
            };
        }

        String human(Run run, Clock clock) {
            if (kind == Kind.METRIC) {
                Metric latest = run.data().latestMetrics().get(key);
                return latest == null ? "" : Text.number(latest.value());
            }
            return kind == Kind.ATTRIBUTE ? attribute(run.info(), clock) : csv(run);
        }

        /** Times humanized when there is a clock to be relative to, else ISO-8601. */
        private String attribute(RunInfo info, Clock clock) {
            return switch (key) {
                case "run_id" -> info.id();
                case "run_name" -> info.name();
                case "experiment_id" -> info.experimentId();
                case "status" -> info.status().name();
                case "start_time" -> time(info.startTime(), clock);
                case "end_time" -> info.endTime().map(end -> time(end, clock)).orElse("");
                case "duration" -> clock == null
                        ? info.endTime().map(end -> Long.toString(end.toEpochMilli() - info.startTime().toEpochMilli())).orElse("")
                        : Text.duration(info.startTime(), info.endTime());
                case "lifecycle_stage" -> info.lifecycleStage().name().toLowerCase(Locale.ROOT);
                case "artifact_uri" -> info.artifactUri();
                default -> throw new IllegalStateException("unknown attribute " + key);
            };
        }

        private static String time(Instant time, Clock clock) {
            return clock == null ? time.toString() : Text.ago(time, clock);
        }
    }

    /**
     * Reads {@code --columns}: attributes by name, else {@code params.}, {@code metrics.} or
     * {@code tags.} and a key (the grammar's singular prefixes work too).
     *
     * @throws CliCommand.UsageException naming the column and what columns there are
     */
    static List<Column> parse(List<String> names) {
        List<Column> columns = new ArrayList<>();
        for (String raw : names) {
            String name = raw.strip();
            if (name.isEmpty()) {
                throw new CliCommand.UsageException("--columns has an empty column name; separate names with one ','");
            }
            int dot = name.indexOf('.');
            Kind kind = dot < 0 ? null : switch (name.substring(0, dot).toLowerCase(Locale.ROOT)) {
                case "params", "param" -> Kind.PARAM;
                case "metrics", "metric" -> Kind.METRIC;
                case "tags", "tag" -> Kind.TAG;
                default -> null;
            };
            if (kind != null && dot + 1 < name.length()) {
                columns.add(new Column(kind, name.substring(dot + 1)));
            } else if (ATTRIBUTES.contains(name)) {
                columns.add(new Column(Kind.ATTRIBUTE, name));
            } else {
                throw new CliCommand.UsageException("unknown column '" + raw + "'; columns are "
                        + String.join(", ", ATTRIBUTES) + ", params.KEY, metrics.KEY and tags.KEY");
            }
            if (columns.subList(0, columns.size() - 1).contains(columns.get(columns.size() - 1))) {
                throw new CliCommand.UsageException("column '" + raw + "' is named twice in --columns");
            }
        }
        if (columns.isEmpty()) {
            throw new CliCommand.UsageException("--columns names no column; give one or more, separated by ','");
        }
        return columns;
    }

    static List<Column> attributes(List<String> names) {
        return names.stream().map(name -> new Column(Kind.ATTRIBUTE, name)).toList();
    }

    /** The attribute columns, then every param and every metric of the runs, by key. */
    static List<Column> allOf(List<String> attributes, Iterable<Run> runs) {
        TreeSet<String> params = new TreeSet<>();
        TreeSet<String> metrics = new TreeSet<>();
        for (Run run : runs) {
            params.addAll(run.data().params().keySet());
            metrics.addAll(run.data().latestMetrics().keySet());
        }
        List<Column> columns = new ArrayList<>(attributes(attributes));
        params.forEach(key -> columns.add(new Column(Kind.PARAM, key)));
        metrics.forEach(key -> columns.add(new Column(Kind.METRIC, key)));
        return columns;
    }

    /**
     * A run as {@code --format json} writes it: the attributes (times in epoch milliseconds), then
     * {@code params}, {@code metrics} (latest values) and {@code tags}, each limited to the keys
     * {@code --columns} names when it names any of that kind.
     */
    static Map<String, Object> json(Run run, List<Column> only) {
        RunInfo info = run.info();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("run_id", info.id());
        json.put("run_name", info.name());
        json.put("experiment_id", info.experimentId());
        json.put("status", info.status().name());
        json.put("start_time", info.startTime().toEpochMilli());
        json.put("end_time", info.endTime().map(Instant::toEpochMilli).orElse(null));
        json.put("lifecycle_stage", info.lifecycleStage().name().toLowerCase(Locale.ROOT));
        json.put("artifact_uri", info.artifactUri());
        Map<String, Double> metrics = new LinkedHashMap<>();
        run.data().latestMetrics().forEach((key, point) -> metrics.put(key, point.value()));
        json.put("params", limit(new java.util.TreeMap<>(run.data().params()), only, Kind.PARAM));
        json.put("metrics", limit(new java.util.TreeMap<>(metrics), only, Kind.METRIC));
        json.put("tags", limit(new java.util.TreeMap<>(run.data().tags()), only, Kind.TAG));
        return json;
    }

    private static <V> Map<String, V> limit(Map<String, V> values, List<Column> only, Kind kind) {
        if (only.stream().noneMatch(c -> c.kind() == kind)) {
            return only.isEmpty() ? values : Map.of();
        }
        Map<String, V> kept = new LinkedHashMap<>();
        only.stream().filter(c -> c.kind() == kind && values.containsKey(c.key()))
                .forEach(c -> kept.put(c.key(), values.get(c.key())));
        return kept;
    }
}
