package dev.runlog.junit;

import dev.runlog.registry.ModelVersion;
import dev.runlog.tracking.Run;
import org.opentest4j.AssertionFailedError;

/**
 * Entry points of Runlog's fluent test assertions, for static import. Their failures are
 * {@link AssertionFailedError}s whose messages show what the run or model version did have, so a
 * failing test explains itself.
 *
 * <pre>{@code
 * import static dev.runlog.junit.RunlogAssertions.assertThat;
 *
 * Run run = tracker.run("iris", r -> trainer.train(r));
 * assertThat(run).hasStatus(RunStatus.FINISHED).hasParam("lr", 0.1).hasMetricAtLeast("accuracy", 0.9);
 * assertThat(registry.getVersion("iris", 1)).hasStage(Stage.STAGING);
 * }</pre>
 *
 * <p>The methods are named {@code assertThat} like AssertJ's, and overload them cleanly: static
 * imports of both can live in one test.
 */
public final class RunlogAssertions {
    private RunlogAssertions() {
    }

    /**
     * Assertions on a run snapshot, such as {@link dev.runlog.tracking.Tracker#run} or
     * {@link dev.runlog.tracking.Tracker#getRun} returns.
     *
     * @throws AssertionFailedError if {@code run} is null
     */
    public static RunAssert assertThat(Run run) {
        if (run == null) {
            throw new AssertionFailedError("expected a run, but it was null");
        }
        return new RunAssert(run);
    }

    /**
     * Assertions on a registered model version, such as
     * {@link dev.runlog.registry.ModelRegistry#getVersion} returns.
     *
     * @throws AssertionFailedError if {@code version} is null
     */
    public static ModelVersionAssert assertThat(ModelVersion version) {
        if (version == null) {
            throw new AssertionFailedError("expected a model version, but it was null");
        }
        return new ModelVersionAssert(version);
    }
}
