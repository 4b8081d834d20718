package dev.runlog.benchmarks;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Tracker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Properties;
import java.util.Random;
import java.util.function.Consumer;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * Artifacts in S3 ({@code -Dbenchmarks=s3}): a 100 MiB file logged with {@code logArtifact} to a
 * {@code sqlite:...?artifacts=s3://...} store and read back whole with {@code openArtifact}, through
 * s3proxy served in-process on a local directory (its filesystem blob store, so the disk is the
 * same as the baseline's), beside a plain file copy of the same file on the same disk. Median of
 * {@link #ROUNDS}. What it shows is the client's overhead (hashing, parts, the copy into place) on
 * loopback; a real S3 endpoint is bounded by the network instead.
 */
final class S3Benchmark {
    private static final int ROUNDS = 3;
    private static final int SIZE = 100 << 20;
    private static final String ACCESS = "bench-access";
    private static final String SECRET = "bench-secret";

    private S3Benchmark() {
    }

    static void run(Path work, Consumer<Figure> out) throws Exception {
        Path blobs = Files.createDirectories(work.resolve("s3proxy"));
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", blobs.toString());
        try (BlobStoreContext context = ContextBuilder.newBuilder("filesystem-nio2").credentials("identity", "credential")
                .overrides(properties).build(BlobStoreContext.class)) {
            context.getBlobStore().createContainerInLocation(null, "bench");
            S3Proxy proxy = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET).build();
            proxy.start();
            System.setProperty("aws.accessKeyId", ACCESS);
            System.setProperty("aws.secretAccessKey", SECRET);
            try {
                measure(work, "http://127.0.0.1:" + proxy.getPort(), out);
            } finally {
                System.clearProperty("aws.accessKeyId");
                System.clearProperty("aws.secretAccessKey");
                proxy.stop();
            }
        }
    }

    private static void measure(Path work, String endpoint, Consumer<Figure> out) throws IOException {
        byte[] block = new byte[1 << 20];
        new Random(1).nextBytes(block);
        Path source = work.resolve("s3-source.bin");
        try (OutputStream file = Files.newOutputStream(source)) {
            for (int i = 0; i < SIZE / block.length; i++) {
                file.write(block);
            }
        }
        String uri = "sqlite:" + work.resolve("s3.db") + "?artifacts=s3://bench/runs&endpoint=" + endpoint
                + "&path-style=true&checksums=when-required";
        double[] up = new double[ROUNDS];
        double[] down = new double[ROUNDS];
        double[] copy = new double[ROUNDS];
        try (Tracker tracker = Tracker.builder().uri(uri).shutdownHook(false).build()) {
            for (int i = 0; i < ROUNDS; i++) {
                String runId;
                try (ActiveRun run = tracker.startRun("s3")) {
                    long t0 = System.nanoTime();
                    run.logArtifact(source, "models");
                    up[i] = mebibytesPerSecond(System.nanoTime() - t0);
                    runId = run.id();
                }
                Path back = work.resolve("s3-back.bin");
                long t0 = System.nanoTime();
                try (InputStream in = tracker.openArtifact(runId, "models/s3-source.bin")) {
                    Files.copy(in, back, StandardCopyOption.REPLACE_EXISTING);
                }
                down[i] = mebibytesPerSecond(System.nanoTime() - t0);
                t0 = System.nanoTime();
                Files.copy(source, work.resolve("s3-copy.bin"), StandardCopyOption.REPLACE_EXISTING);
                copy[i] = mebibytesPerSecond(System.nanoTime() - t0);
            }
        }
        String conditions = "100 MiB, sqlite store with artifacts in s3proxy (filesystem blob store, loopback, 8 MiB parts,"
                + " SHA-256 on the way), baseline Files.copy on the same disk, median of " + ROUNDS;
        out.accept(new Figure("s3_logArtifact_100MiB", median(up), "MiB/s", 50, true, median(copy), conditions));
        out.accept(new Figure("s3_openArtifact_read_100MiB", median(down), "MiB/s", 50, true, median(copy), conditions));
    }

    private static double mebibytesPerSecond(long nanos) {
        return (SIZE / (double) (1 << 20)) / (nanos / 1e9);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
