package dev.runlog.tracking.internal.search;

import dev.runlog.tracking.DatasetInput;
import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.spi.SearchField;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The value of a search field in a run or experiment, and the comparisons of the search grammar:
 * the reference semantics, which the in-memory store uses directly and the SQLite store mirrors in
 * SQL.
 */
final class SearchValues {
    private SearchValues() {
    }

    /**
     * The field's value in {@code run}: a {@code Double} for numeric fields, a {@code String}
     * otherwise, {@code null} when the run lacks it. Not for dataset fields, which have many values.
     */
    public static Object of(Run run, SearchField field) {
        String key = field.key();
        return switch (field.kind()) {
            case METRIC -> {
                Metric latest = run.data().latestMetrics().get(key);
                yield latest == null ? null : latest.value();
            }
            case PARAM -> run.data().params().get(key);
            case TAG -> run.data().tags().get(key);
            case ATTRIBUTE -> switch (key) {
                case "run_id" -> run.info().id();
                case "run_name" -> run.info().name();
                case "status" -> run.info().status().name();
                case "user_id" -> run.data().tags().get(ActiveRun.USER_TAG);
                case "artifact_uri" -> run.info().artifactUri();
                case "start_time" -> (double) run.info().startTime().toEpochMilli();
                case "end_time" -> run.info().endTime().map(t -> (double) t.toEpochMilli()).orElse(null);
                default -> throw new IllegalArgumentException("no run attribute " + key);
            };
            case DATASET -> throw new IllegalArgumentException("dataset fields have one value per input");
        };
    }

    /** The values of a dataset field over the run's inputs. */
    public static List<String> datasetValues(Run run, String key) {
        return run.inputs().stream().map((DatasetInput input) -> switch (key) {
            case "name" -> input.dataset().name();
            case "digest" -> input.dataset().digest();
            case "context" -> input.context();
            default -> throw new IllegalArgumentException("no dataset field " + key);
        }).toList();
    }

    /** The field's value in {@code experiment}, as {@link #of(Run, SearchField)}. */
    public static Object of(Experiment experiment, SearchField field) {
        return switch (field.kind()) {
            case TAG -> experiment.tags().get(field.key());
            case ATTRIBUTE -> switch (field.key()) {
                case "name" -> experiment.name();
                case "experiment_id" -> experiment.id();
                case "creation_time" -> (double) experiment.creationTime().toEpochMilli();
                case "last_update_time" -> (double) experiment.lastUpdateTime().toEpochMilli();
                default -> throw new IllegalArgumentException("no experiment attribute " + field.key());
            };
            default -> throw new IllegalArgumentException("experiments have no " + field.kind() + " fields");
        };
    }

    /**
     * SQL {@code LIKE}: {@code %} any run of characters, {@code _} one character, everything else
     * literal. Case-sensitive, or folding ASCII letters only when {@code ignoreCase}, so that every
     * store agrees (SQLite folds only ASCII).
     */
    public static boolean like(String value, String pattern, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : (ignoreCase ? foldAscii(pattern) : pattern).toCharArray()) {
            if (c == '%' || c == '_') {
                if (literal.length() > 0) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '%' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            regex.append(Pattern.quote(literal.toString()));
        }
        String subject = ignoreCase ? foldAscii(value) : value;
        Pattern compiled = Pattern.compile(regex.toString(), Pattern.DOTALL);
        return compiled.matcher(subject).matches();
    }

    private static String foldAscii(String s) {
        char[] chars = s.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] >= 'A' && chars[i] <= 'Z') {
                chars[i] = (char) (chars[i] + ('a' - 'A'));
            }
        }
        return new String(chars);
    }
}
