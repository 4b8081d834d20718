package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.KitData.text;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.Tracker;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Rule 5: keys of params, metrics and tags. */
public interface KeysContract {

    static Stream<Arguments> validKeys() {
        List<String> keys = List.of("val/acc_top-1 v2.0", "loss", "a.b/c", "123", "..a/b..", "über_loss", text(250, "k"));
        return Stream.of(KeyKind.values()).flatMap(kind -> keys.stream()
                .map(key -> Arguments.of(kind, Named.of(visible(key), key))));
    }

    @ParameterizedTest(name = "{0} key {1}")
    @MethodSource("dev.runlog.tracking.tck.KeysContract#validKeys")
    @DisplayName("letters, digits, '_', '-', '.', '/' and spaces are allowed")
    default void validKey(KeyKind kind, String key, Tracker tracker) {
        ActiveRun run = tracker.startRun("keys");
        kind.log(run, key);
        run.flush();
        assertTrue(kind.isStored(tracker, run.id(), key), () -> kind + " key " + visible(key) + " was not stored as logged");
    }

    /** The three kinds of keys, all under the same rules. */
    enum KeyKind {
        PARAM, METRIC, TAG;

        void log(ActiveRun run, String key) {
            switch (this) {
                case PARAM -> run.logParam(key, "v");
                case METRIC -> run.logMetric(key, 1.5, 3);
                case TAG -> run.setTag(key, "v");
            }
        }

        boolean isStored(Tracker tracker, String runId, String key) {
            Run run = tracker.getRun(runId);
            return switch (this) {
                case PARAM -> "v".equals(run.data().params().get(key));
                case METRIC -> Double.valueOf(1.5).equals(run.data().metrics().get(key))
                        && tracker.metricHistory(runId, key).equals(List.of(
                                new Metric(key, 1.5, 3, run.data().latestMetrics().get(key).timestamp())));
                case TAG -> "v".equals(run.data().tags().get(key));
            };
        }
    }

    /** A key as a test name: quoted, or its length and first character when too long to read. */
    private static String visible(String key) {
        return key.length() > 40 ? key.length() + " × '" + key.charAt(0) + "'" : '"' + key + '"';
    }
}
