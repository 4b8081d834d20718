package dev.runlog.tracking;

import java.util.Objects;

/**
 * A snapshot of a run as stored: its {@link RunInfo} and its {@link RunData}. Reading it again
 * after more logging gives a new snapshot; this one never changes.
 *
 * <pre>{@code
 * Run run = tracker.getRun(runId);
 * double accuracy = run.data().metrics().get("accuracy");
 * }</pre>
 */
public record Run(RunInfo info, RunData data) {
    public Run {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(data, "data");
    }
}
