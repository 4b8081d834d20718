/**
 * Run artifacts in S3 or an S3-compatible object store (MinIO, Ceph), for any Runlog store whose URI
 * says {@code ?artifacts=s3://bucket/prefix}. It exports only {@code dev.runlog.artifacts.s3} (a
 * builder for code that has an {@code S3Client} already) and provides the {@code s3} scheme to
 * {@code dev.runlog.tracking.spi.ArtifactStores}.
 */
module dev.runlog.artifacts.s3 {
    requires transitive dev.runlog.tracking;
    requires transitive software.amazon.awssdk.services.s3;
    requires software.amazon.awssdk.core;
    requires software.amazon.awssdk.awscore;
    requires software.amazon.awssdk.auth;
    requires software.amazon.awssdk.regions;
    requires software.amazon.awssdk.http;
    requires software.amazon.awssdk.http.urlconnection;
    // The SDK's jars are automatic modules, which log through SLF4J but cannot require it: on the
    // module path nothing else would resolve org.slf4j, and the first S3 client failed with
    // NoClassDefFoundError: org/slf4j/LoggerFactory.
    requires org.slf4j;

    exports dev.runlog.artifacts.s3;

    provides dev.runlog.tracking.spi.ArtifactStoreProvider with dev.runlog.artifacts.s3.internal.S3ArtifactStoreProvider;
}
