package dev.runlog.tracking;

import dev.runlog.tracking.internal.Validation;
import java.util.List;

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
        Validation.notNull("info", info);
        Validation.notNull("data", data);
        inputs = List.copyOf(Validation.notNull("inputs", inputs));
    }
}
