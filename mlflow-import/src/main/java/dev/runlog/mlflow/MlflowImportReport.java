package dev.runlog.mlflow;

import dev.runlog.tracking.spi.InputRules;
import java.util.List;

/**
 * What {@link MlflowImport#run()} brought in, and what it left out and why.
 *
 * @param source        the MLflow store, as named (a database URI's password hidden)
 * @param experiments   experiments imported, deleted ones included
 * @param runs          runs imported, deleted ones included
 * @param metricPoints  metric points imported
 * @param artifacts     artifact files copied
 * @param artifactBytes their bytes
 * @param models        registered models imported
 * @param versions      model versions imported
 * @param skipped       what was not imported, each with the reason, in the order met
 */
public record MlflowImportReport(String source, long experiments, long runs, long metricPoints, long artifacts,
                                 long artifactBytes, long models, long versions, List<Skipped> skipped) {
    public MlflowImportReport {
        InputRules.notNull("source", source);
        skipped = List.copyOf(InputRules.notNull("skipped", skipped));
    }

    /**
     * One thing not imported.
     *
     * @param what   what it is ("artifacts of run 5f0e...", "model iris version 3")
     * @param reason why it was left out
     */
    public record Skipped(String what, String reason) {
        public Skipped {
            InputRules.notNull("what", what);
            InputRules.notNull("reason", reason);
        }

        @Override
        public String toString() {
            return what + ": " + reason;
        }
    }

    /** The counts on one line, as the {@code runlog import-mlflow} command prints them first. */
    public String counts() {
        return experiments + " experiments, " + runs + " runs, " + metricPoints + " metric points, " + artifacts
                + " artifacts (" + artifactBytes + " bytes), " + models + " models, " + versions + " versions";
    }

    /** The counts, then one line per thing skipped. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("imported ").append(source).append(": ").append(counts());
        text.append(System.lineSeparator()).append("skipped ").append(skipped.size()).append(skipped.isEmpty() ? "" : ":");
        for (Skipped s : skipped) {
            text.append(System.lineSeparator()).append("  ").append(s);
        }
        return text.toString();
    }
}
