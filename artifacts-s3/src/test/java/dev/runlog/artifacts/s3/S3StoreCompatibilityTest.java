package dev.runlog.artifacts.s3;

import dev.runlog.tracking.spi.Sha256;
import dev.runlog.tracking.tck.TrackingStoreCompatibilityKit;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole tracking contract on a SQLite store whose artifacts live in S3
 * ({@code sqlite:PATH?artifacts=s3://...}), served by s3proxy: what holds on a directory holds in a
 * bucket. The server keeps objects in memory here (see {@link S3Proxies}); {@link S3ArtifactsTest}
 * runs on its filesystem store.
 */
class S3StoreCompatibilityTest extends TrackingStoreCompatibilityKit {
    @RegisterExtension
    static final S3Proxies S3 = new S3Proxies(S3Proxies.Backing.MEMORY);

    @Override
    protected String storeUri(Path tempDir) {
        // The same directory always maps to the same prefix, so a store reopened finds its objects.
        String prefix = "kit-" + Sha256.of(tempDir.toAbsolutePath().toString()).substring(0, 20);
        return "sqlite:" + tempDir.resolve("runlog.db") + "?artifacts=" + S3.artifactsOption(prefix);
    }
}
