package dev.runlog.artifacts.s3;

import dev.runlog.tracking.spi.Sha256;
import dev.runlog.tracking.tck.ArchivesContract;
import dev.runlog.tracking.tck.ArtifactsContract;
import dev.runlog.tracking.tck.HostileInputContract;
import dev.runlog.tracking.tck.InactiveRunsContract;
import dev.runlog.tracking.tck.ModelImmutabilityContract;
import dev.runlog.tracking.tck.ModelLoadingContract;
import dev.runlog.tracking.tck.ModelsContract;
import dev.runlog.tracking.tck.PurgeContract;
import dev.runlog.tracking.tck.TrackingStoreCompatibilityKit;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The tracking contract's groups that touch artifacts, on a SQLite store whose artifacts live in
 * S3 ({@code sqlite:PATH?artifacts=s3://...}), served by s3proxy: what holds on a directory holds
 * in a bucket. The other groups (search, metrics, experiments...) never reach the artifact store
 * and run on this same SQLite store in storage-sqlite's own kit run; here they would only repeat
 * it at several times the cost, each store opening an S3 client. The server keeps objects in
 * memory here (see {@link S3Proxies}); {@link S3ArtifactsTest} runs on its filesystem store.
 */
@ExtendWith(S3StoreCompatibilityTest.ArtifactGroupsOnly.class)
class S3StoreCompatibilityTest extends TrackingStoreCompatibilityKit {
    @RegisterExtension
    static final S3Proxies S3 = new S3Proxies(S3Proxies.Backing.MEMORY);

    @Override
    protected String storeUri(Path tempDir) {
        // The same directory always maps to the same prefix, so a store reopened finds its objects.
        String prefix = "kit-" + Sha256.of(tempDir.toAbsolutePath().toString()).substring(0, 20);
        return "sqlite:" + tempDir.resolve("runlog.db") + "?artifacts=" + S3.artifactsOption(prefix);
    }

    /** Runs the kit's groups whose contracts write or read artifacts; skips the rest, saying why. */
    static final class ArtifactGroupsOnly implements ExecutionCondition {
        private static final List<Class<?>> TOUCH_ARTIFACTS = List.of(ArtifactsContract.class, ArchivesContract.class,
                HostileInputContract.class, InactiveRunsContract.class, ModelsContract.class, ModelLoadingContract.class,
                ModelImmutabilityContract.class, PurgeContract.class);
        // Of the hostile-input group only the path rules reach the artifact store; its filter limits are CPU-bound
        // parsing that took half of this class's time on s3proxy while repeating storage-sqlite's run exactly.
        private static final Map<Class<?>, Set<String>> ONLY_METHODS = Map.of(
                HostileInputContract.class, Set.of("pathSegmentLimit"));

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            Class<?> group = context.getRequiredTestClass();
            if (group == S3StoreCompatibilityTest.class) {
                return ConditionEvaluationResult.enabled("the kit itself");
            }
            Optional<Class<?>> contract = Arrays.stream(group.getInterfaces()).filter(TOUCH_ARTIFACTS::contains).findFirst();
            if (contract.isEmpty()) {
                return ConditionEvaluationResult.disabled("never reaches the artifact store; storage-sqlite's kit run covers it");
            }
            Set<String> only = ONLY_METHODS.get(contract.get());
            if (only != null && context.getTestMethod().isPresent() && !only.contains(context.getTestMethod().get().getName())) {
                return ConditionEvaluationResult.disabled("does not reach the artifact store; storage-sqlite's kit run covers it");
            }
            return ConditionEvaluationResult.enabled("touches artifacts");
        }
    }
}
