package dev.runlog.artifacts.s3.internal;

import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.RunlogException;
import dev.runlog.tracking.StoreException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns what the AWS SDK throws into Runlog's exceptions, naming the bucket and key and what was
 * being done, so no SDK exception type reaches the caller. Messages carry the service's error code
 * and the client-side reason ("Connection refused"), never a credential: the SDK puts none in them.
 */
public final class S3Failures {
    private S3Failures() {
    }

    /**
     * @param action what was being done, as "storing artifact 'a/b' of run R"
     * @param object {@code s3://bucket/key} the call was about
     */
    public static RunlogException translate(SdkException e, String action, String bucket, String object) {
        if (e instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() != null && service.awsErrorDetails().errorCode() != null
                    ? service.awsErrorDetails().errorCode() : "HTTP " + service.statusCode();
            if (code.equals("NoSuchBucket")) {
                return new NotFoundException("S3 bucket '" + bucket + "' does not exist (" + action + ", object "
                        + object + "); create it or fix the artifact location", e);
            }
            if (service.statusCode() == 403 || code.equals("AccessDenied") || code.equals("InvalidAccessKeyId")
                    || code.equals("SignatureDoesNotMatch")) {
                return new StoreException("S3 denied access to " + object + " in bucket '" + bucket + "' (" + action
                        + "): " + code + "; check the credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or"
                        + " an AWS profile) and the bucket's policy", e);
            }
            if (code.equals("XAmzContentSHA256Mismatch") || code.equals("BadDigest")) {
                // Services that check the SDK's newer request checksums differently (older MinIO, s3proxy).
                return new StoreException("S3 refused the upload's checksum " + action + " (bucket '" + bucket
                        + "', object " + object + "): " + code + "; for an S3-compatible service that does not take"
                        + " the SDK's default checksums, add checksums=when-required to the artifact location", e);
            }
            return new StoreException("S3 failed " + action + " (bucket '" + bucket + "', object " + object + "): "
                    + code + " (HTTP " + service.statusCode() + ")", e);
        }
        String message = String.valueOf(e.getMessage());
        if (message.startsWith("Unable to load credentials")) {
            // The SDK's message lists every provider of its chain and why each failed: a page of text.
            return new StoreException("No AWS credentials were found " + action + " (bucket '" + bucket + "'): set"
                    + " AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or the aws.accessKeyId and aws.secretAccessKey"
                    + " system properties), an AWS profile, or a role; the AWS SDK looked for them in that order", e);
        }
        return new StoreException("Could not reach S3 " + action + " (bucket '" + bucket + "', object " + object
                + "): " + reason(e), e);
    }

    /**
     * Whether the connection was made and then cut while the request was being sent: a broken
     * pipe, a reset, or the HTTP client's "Error writing request body". Not a refused connection,
     * an unknown host or a timeout, where the server was never reached.
     */
    public static boolean cutShort(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            String message = cause.getMessage() == null ? "" : cause.getMessage().toLowerCase(java.util.Locale.ROOT);
            if (cause instanceof java.io.IOException && (message.contains("writing request body")
                    || message.contains("broken pipe") || message.contains("connection reset"))) {
                return true;
            }
        }
        return false;
    }

    /** The innermost cause's message, which for a network failure says what happened ("Connection refused"). */
    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String outer = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return root == e || root.getMessage() == null ? outer
                : outer + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }
}
