package dev.runlog.tracking.internal;

import java.time.Duration;
import java.util.Map;

/**
 * What a tracker logs into each run by itself as the run starts, beyond its tags: opt-in system
 * metrics and the class path artifact. The class path is described once per tracker, on the first
 * run that needs it.
 */
public final class RunStartLogging {
    private final Duration systemMetricsInterval;
    private final boolean classpath;
    private volatile Map<String, Object> classpathDescription;

    /**
     * @param systemMetricsInterval how often each run samples system metrics; null for never
     * @param classpath             whether each run gets the {@value ClasspathArtifacts#ARTIFACT} artifact
     */
    public RunStartLogging(Duration systemMetricsInterval, boolean classpath) {
        this.systemMetricsInterval = systemMetricsInterval;
        this.classpath = classpath;
    }

    /** Logs what is due at {@code run}'s start and returns its system metrics sampler, or null. */
    SystemMetricsSampler start(DefaultActiveRun run) {
        if (classpath) {
            Map<String, Object> description = classpathDescription;
            if (description == null) {
                description = ClasspathArtifacts.describe();
                classpathDescription = description;
            }
            run.logJson(description, ClasspathArtifacts.ARTIFACT);
        }
        return systemMetricsInterval == null ? null : SystemMetricsSampler.start(run, systemMetricsInterval);
    }
}
