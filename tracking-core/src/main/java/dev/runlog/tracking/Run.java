package dev.runlog.tracking;

import java.util.List;
import java.util.Objects;

/**
 * A snapshot of a run as stored: its {@link RunInfo}, its {@link RunData} and the datasets it used.
 * Reading it again after more logging gives a new snapshot; this one never changes.
 *
 * <pre>{@code
 * Run run = tracker.getRun(runId);
 * double accuracy = run.data().metrics().get("accuracy");
 * run.inputs().forEach(input -> System.out.println(input.context() + ": " + input.dataset().name()));
 * }</pre>
 */
public record Run(RunInfo info, RunData data, List<DatasetInput> inputs) {
    public Run {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(data, "data");
        inputs = List.copyOf(inputs);
    }
}
