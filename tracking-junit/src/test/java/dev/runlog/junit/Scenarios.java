package dev.runlog.junit;

import java.util.Map;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Runs {@link OnlyInEngineTestKit} scenario classes on a nested Jupiter engine. */
final class Scenarios {
    private Scenarios() {
    }

    /** Runs {@code scenario} on a nested Jupiter engine and returns what happened. */
    static EngineExecutionResults run(Class<?> scenario) {
        return run(scenario, Map.of());
    }

    /** Runs {@code scenario} with extra configuration parameters, such as those of parallel execution. */
    static EngineExecutionResults run(Class<?> scenario, Map<String, String> configuration) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter(OnlyInEngineTestKit.KEY, "true")
                .configurationParameters(configuration)
                .selectors(DiscoverySelectors.selectClass(scenario))
                .execute();
    }
}
