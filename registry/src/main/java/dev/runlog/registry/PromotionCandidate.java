package dev.runlog.registry;

import dev.runlog.tracking.Metric;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.spi.InputRules;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What a {@link Gate} judges: the version to promote, the run that logged it, the target stage, and
 * the version now holding that stage (the incumbent), if any, with its run.
 *
 * @param version      the version to promote
 * @param run          the run that logged it
 * @param target       the stage it would move to
 * @param incumbent    the highest other version now in the target stage
 * @param incumbentRun the incumbent's run; empty when there is no incumbent or its run was deleted
 *                     for good
 */
public record PromotionCandidate(ModelVersion version, Run run, Stage target, Optional<ModelVersion> incumbent,
                                 Optional<Run> incumbentRun) {
    public PromotionCandidate {
        InputRules.notNull("version", version);
        InputRules.notNull("run", run);
        InputRules.notNull("target", target);
        InputRules.notNull("incumbent", incumbent);
        InputRules.notNull("incumbentRun", incumbentRun);
    }

    /** The latest value of a metric of the candidate's run; empty if the run never logged it. */
    public OptionalDouble metric(String key) {
        return latest(run, key);
    }

    /** The latest value of a metric of the incumbent's run; empty if there is none. */
    public OptionalDouble incumbentMetric(String key) {
        return incumbentRun.map(r -> latest(r, key)).orElse(OptionalDouble.empty());
    }

    private static OptionalDouble latest(Run run, String key) {
        Metric metric = run.data().latestMetrics().get(key);
        return metric == null ? OptionalDouble.empty() : OptionalDouble.of(metric.value());
    }
}
