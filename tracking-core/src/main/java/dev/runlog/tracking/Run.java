package dev.runlog.tracking;

import dev.runlog.tracking.spi.InputRules;
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
        InputRules.notNull("info", info);
        InputRules.notNull("data", data);
        inputs = List.copyOf(InputRules.notNull("inputs", inputs));
    }

    /**
     * A one-line summary: id, name, status, experiment, the params, the latest metric values and
     * the datasets by name and context. Tags and dataset profiles are left out, so a run prints
     * short however much it logged; read {@link #data()} and {@link #inputs()} for everything.
     */
    @Override
    public String toString() {
        StringBuilder inputNames = new StringBuilder("[");
        for (DatasetInput input : inputs) {
            inputNames.append(inputNames.length() > 1 ? ", " : "")
                    .append(input.dataset().name()).append(" (").append(input.context()).append(')');
        }
        return "Run[id=" + info.id() + ", name=" + info.name() + ", status=" + info.status()
                + ", experimentId=" + info.experimentId() + ", params=" + abbreviate(data.params().toString())
                + ", metrics=" + abbreviate(data.metrics().toString()) + ", tags=" + data.tags().size()
                + ", inputs=" + inputNames.append(']') + "]";
    }

    private static String abbreviate(String s) {
        return s.length() <= 500 ? s : s.substring(0, 497) + "...";
    }
}
