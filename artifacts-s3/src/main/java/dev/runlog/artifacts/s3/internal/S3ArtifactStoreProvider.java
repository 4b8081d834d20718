package dev.runlog.artifacts.s3.internal;

import dev.runlog.artifacts.s3.S3ArtifactStore;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.spi.ArtifactStore;
import dev.runlog.tracking.spi.ArtifactStoreProvider;
import dev.runlog.tracking.spi.InputRules;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * {@code s3://bucket/prefix}, with options given beside {@code artifacts=} in the store URI:
 *
 * <ul>
 *   <li>{@code endpoint=http://host:9000}: an S3-compatible server (MinIO, Ceph) instead of AWS;</li>
 *   <li>{@code region=eu-west-1}: otherwise, for AWS, the SDK's default chain ({@code AWS_REGION},
 *       the profile, an instance's metadata); with an endpoint, {@code AWS_REGION} or the
 *       {@code aws.region} system property, else {@code us-east-1};</li>
 *   <li>{@code path-style=true}: {@code http://host/bucket/key} addressing, which most
 *       S3-compatible servers need;</li>
 *   <li>{@code checksums=when-required}: the client sends and checks the SDK's flexible checksums
 *       only where the operation requires them. Since 2.30 the SDK adds a trailing checksum to every
 *       upload by default, which many S3-compatible servers refuse ("x-amz-content-sha256 does not
 *       match"); {@code checksums=when-supported} is the SDK's default.</li>
 * </ul>
 *
 * Credentials come from the SDK's default chain: {@code AWS_ACCESS_KEY_ID} and
 * {@code AWS_SECRET_ACCESS_KEY}, the {@code aws.accessKeyId} system properties, an AWS profile, a
 * container or instance role. None is ever read from the URI, so none ends up in a log or a run.
 * Nothing is sent until the first artifact call.
 */
public final class S3ArtifactStoreProvider implements ArtifactStoreProvider {
    private static final Set<String> OPTIONS = Set.of("endpoint", "region", "path-style", "checksums");

    @Override
    public String scheme() {
        return "s3";
    }

    @Override
    public Set<String> optionNames() {
        return OPTIONS;
    }

    @Override
    public ArtifactStore open(URI location, Map<String, String> options) {
        String bucket = location.getRawAuthority();
        if (bucket == null || bucket.isEmpty()) {
            throw new InvalidInputException("Artifact location '" + InputRules.hideCredentials(location.toString()) + "' names no bucket; write s3://bucket/prefix");
        }
        if (location.getRawQuery() != null || location.getRawFragment() != null) {
            throw new InvalidInputException("Artifact location '" + InputRules.hideCredentials(location.toString()) + "' has a query or fragment; give the options"
                    + " beside artifacts= in the store URI: ?artifacts=s3://bucket/prefix&endpoint=http://host:9000");
        }
        String prefix = location.getPath() == null ? "" : location.getPath();
        S3Client client = client(location, options);
        try {
            return S3ArtifactStore.builder(client, bucket).prefix(prefix).closeClient(true).build();
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private static S3Client client(URI location, Map<String, String> options) {
        S3ClientBuilder client = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(DefaultCredentialsProvider.builder().build());
        String endpoint = options.get("endpoint");
        if (endpoint != null) {
            client.endpointOverride(endpoint(location, endpoint));
        }
        String pathStyle = options.get("path-style");
        if (pathStyle != null) {
            client.forcePathStyle(bool(location, "path-style", pathStyle));
        }
        String checksums = options.get("checksums");
        if (checksums != null) {
            switch (checksums.toLowerCase(Locale.ROOT)) {
                case "when-required" -> client.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
                case "when-supported" -> client.requestChecksumCalculation(RequestChecksumCalculation.WHEN_SUPPORTED)
                        .responseChecksumValidation(ResponseChecksumValidation.WHEN_SUPPORTED);
                default -> throw new InvalidInputException("Artifact location '" + InputRules.hideCredentials(location.toString()) + "': checksums='" + checksums
                        + "' is not a choice; write checksums=when-required (for S3-compatible servers that refuse"
                        + " the SDK's trailing checksums) or checksums=when-supported (the SDK's default)");
            }
        }
        // Last: the default chain may read files, and every option should be checked before.
        client.region(region(location, options.get("region"), endpoint != null));
        return client.build();
    }

    private static URI endpoint(URI location, String endpoint) {
        try {
            URI uri = new URI(endpoint);
            if (uri.getHost() == null || !(uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))) {
                throw new URISyntaxException(endpoint, "not http://host[:port] or https://host[:port]");
            }
            if (uri.getUserInfo() != null) {
                throw new URISyntaxException("(hidden)", "credentials do not belong in the endpoint; use AWS_ACCESS_KEY_ID"
                        + " and AWS_SECRET_ACCESS_KEY or a profile");
            }
            return uri;
        } catch (URISyntaxException | NullPointerException e) {
            // An endpoint written with user:secret@ is not echoed back, so no secret reaches a log.
            String shown = endpoint.contains("@") ? "(not shown: it holds credentials)" : endpoint;
            // The reason alone: a URISyntaxException's message quotes the whole endpoint again.
            String reason = e instanceof URISyntaxException syntax ? syntax.getReason() : "it has no scheme or host";
            throw new InvalidInputException("Artifact location '" + InputRules.hideCredentials(location.toString())
                    + "': endpoint='" + shown + "' is not an http(s) URL: " + reason);
        }
    }

    private static Region region(URI location, String region, boolean customEndpoint) {
        if (region != null) {
            // Checked here, so a mistyped one is refused when the store opens, not at every artifact call.
            if (!region.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
                throw new InvalidInputException("Artifact location '" + InputRules.hideCredentials(location.toString())
                        + "': region='" + region + "' is not an AWS region name such as eu-west-1");
            }
            return Region.of(region);
        }
        if (customEndpoint) {
            // An S3-compatible server (MinIO, Ceph, s3proxy) takes any region, us-east-1 by default.
            // The SDK's whole chain is not asked: it ends by calling EC2's instance metadata service,
            // which off EC2 costs a connection timeout on every store opened.
            String configured = System.getProperty("aws.region", System.getenv("AWS_REGION"));
            return configured == null || configured.isBlank() ? Region.US_EAST_1 : Region.of(configured.strip());
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkClientException e) {
            throw new InvalidInputException("Artifact location '" + InputRules.hideCredentials(location.toString()) + "': no AWS region is configured;"
                    + " add region=... beside artifacts= in the store URI, or set AWS_REGION");
        }
    }

    private static boolean bool(URI location, String name, String value) {
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new InvalidInputException("Artifact location '" + InputRules.hideCredentials(location.toString()) + "': " + name + "='" + value
                + "' is not true or false");
    }
}
