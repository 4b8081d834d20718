package dev.runlog.tracking.internal.search;

import dev.runlog.tracking.DatasetInput;
import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.spi.SearchField;
import java.util.List;

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
                // A run made without a user (recorded in bulk, or by an MLflow client that sent
                // none) has the empty one, as MLflow stores and shows it: never missing.
                case "user_id" -> run.data().tags().getOrDefault(ActiveRun.USER_TAG, "");
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
     * SQL {@code LIKE}: {@code %} any run of characters, {@code _} one character (code point),
     * everything else literal. Case-sensitive, or folding ASCII letters only when {@code ignoreCase},
     * so that every store agrees (SQLite folds only ASCII).
     *
     * <p>Matched without backtracking past the last {@code %}: at most (value length × pattern
     * length) steps. A regular expression took time exponential in the number of {@code %}: one
     * filter of twenty kept a core busy for hours.
     */
    public static boolean like(String value, String pattern, boolean ignoreCase) {
        int[] s = (ignoreCase ? foldAscii(value) : value).codePoints().toArray();
        int[] p = (ignoreCase ? foldAscii(pattern) : pattern).codePoints().toArray();
        int i = 0;
        int j = 0;
        int lastPercent = -1; // where in p the last % seen stands
        int resumeAt = 0;     // where in s its run of characters would end next
        while (i < s.length) {
            if (j < p.length && p[j] == '%') {
                lastPercent = j++;
                resumeAt = i;
            } else if (j < p.length && (p[j] == '_' || p[j] == s[i])) {
                i++;
                j++;
            } else if (lastPercent >= 0) {
                // The last % takes one character more; what lies before it never needs to move.
                j = lastPercent + 1;
                i = ++resumeAt;
            } else {
                return false;
            }
        }
        while (j < p.length && p[j] == '%') {
            j++;
        }
        return j == p.length;
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
