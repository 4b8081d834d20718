package dev.runlog.artifacts.s3;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3 API served in-process by s3proxy on a temporary directory (its NIO.2 filesystem blob store,
 * path-style, a free port), started once per test JVM and shared by every test class that registers
 * this extension: {@code @RegisterExtension static final S3Proxies S3 = new S3Proxies();}.
 *
 * <p>{@code new S3Proxies(Backing.MEMORY)} serves from memory instead, for the contract kit: the
 * filesystem blob store cannot hold a key whose last segment is 255 bytes long (the kit's longest
 * allowed path segment), because its own file name would exceed the file system's limit; S3 takes
 * keys up to 1024 bytes.
 *
 * <p>Stores opened from a URI find the server's credentials where the SDK's default chain looks
 * first, the {@code aws.accessKeyId} and {@code aws.secretAccessKey} system properties, which this
 * sets while the server runs.
 */
final class S3Proxies implements BeforeAllCallback {
    static final String ACCESS_KEY = "runlog-test-access";
    static final String SECRET_KEY = "runlog-test-secret-do-not-print";
    static final String BUCKET = "runlog-tests";

    /** Where the server keeps objects. */
    enum Backing {
        FILESYSTEM("filesystem-nio2"), MEMORY("transient-nio2");

        private final String provider;

        Backing(String provider) {
            this.provider = provider;
        }
    }

    private final Backing backing;
    private Server server;

    S3Proxies() {
        this(Backing.FILESYSTEM);
    }

    S3Proxies(Backing backing) {
        this.backing = backing;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = context.getRoot().getStore(ExtensionContext.Namespace.create(S3Proxies.class))
                .getOrComputeIfAbsent(backing, k -> Server.start(backing), Server.class);
    }

    /** {@code http://127.0.0.1:<port>}. */
    URI endpoint() {
        return server.endpoint;
    }

    /** A client of the server with the three settings s3proxy needs; the caller closes it. */
    S3Client client() {
        return client(ACCESS_KEY, SECRET_KEY);
    }

    S3Client client(String accessKey, String secretKey) {
        return S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    /** A prefix no other test uses, in {@link #BUCKET}. */
    static String newPrefix() {
        return "t-" + UUID.randomUUID();
    }

    /** {@code s3://BUCKET/prefix} with the options this server needs, to put after {@code ?artifacts=}. */
    String artifactsOption(String prefix) {
        return "s3://" + BUCKET + "/" + prefix + "&endpoint=" + endpoint() + "&path-style=true&checksums=when-required";
    }

    /** The running server, closed when the test JVM's root context closes. */
    private static final class Server implements ExtensionContext.Store.CloseableResource {
        private final S3Proxy proxy;
        private final Path dir;
        private final BlobStoreContext blobs;
        private final URI endpoint;

        private Server(S3Proxy proxy, Path dir, BlobStoreContext blobs) {
            this.proxy = proxy;
            this.dir = dir;
            this.blobs = blobs;
            this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        }

        static Server start(Backing backing) {
            try {
                Path dir = Files.createTempDirectory("runlog-s3proxy-");
                Properties properties = new Properties();
                properties.setProperty("jclouds.filesystem.basedir", dir.toString());
                BlobStoreContext blobs = ContextBuilder.newBuilder(backing.provider)
                        .credentials("identity", "credential")
                        .overrides(properties)
                        .build(BlobStoreContext.class);
                blobs.getBlobStore().createContainerInLocation(null, BUCKET);
                S3Proxy proxy = S3Proxy.builder()
                        .blobStore(blobs.getBlobStore())
                        .endpoint(URI.create("http://127.0.0.1:0"))
                        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                        .build();
                proxy.start();
                System.setProperty("aws.accessKeyId", ACCESS_KEY);
                System.setProperty("aws.secretAccessKey", SECRET_KEY);
                return new Server(proxy, dir, blobs);
            } catch (Exception e) {
                throw new IllegalStateException("s3proxy did not start", e);
            }
        }

        @Override
        public void close() throws Throwable {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
            try {
                proxy.stop();
                blobs.close();
            } finally {
                try (Stream<Path> walk = Files.walk(dir)) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }
}
