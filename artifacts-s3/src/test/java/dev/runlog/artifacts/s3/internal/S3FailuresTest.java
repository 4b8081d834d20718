package dev.runlog.artifacts.s3.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.RunlogException;
import dev.runlog.tracking.StoreException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** What a user reads when S3 says no in the two ways that puzzled an outside tester. */
class S3FailuresTest {
    @Test
    void missingCredentialsSayWhereTheSdkLooksNotThePageItPrints() {
        SdkClientException sdk = SdkClientException.create("Unable to load credentials from any of the providers in the"
                + " chain AwsCredentialsProviderChain(credentialsProviders=[SystemPropertyCredentialsProvider(), ...]) :"
                + " [SystemPropertyCredentialsProvider(): Unable to load credentials from system settings. ...]");
        RunlogException e = S3Failures.translate(sdk, "storing artifact 'a.txt' of run r", "bkt", "s3://bkt/p/r/artifacts/a.txt");
        assertEquals(StoreException.class, e.getClass());
        assertTrue(e.getMessage().startsWith("No AWS credentials were found storing artifact 'a.txt' of run r (bucket 'bkt'):"
                + " set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"), e.getMessage());
    }

    @Test
    void aChecksumTheServiceRefusesPointsToTheOptionForIt() {
        S3Exception sdk = (S3Exception) S3Exception.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("XAmzContentSHA256Mismatch").build()).build();
        RunlogException e = S3Failures.translate(sdk, "storing artifact 'a.txt' of run r", "bkt", "s3://bkt/p/r/artifacts/a.txt");
        assertTrue(e.getMessage().contains("add checksums=when-required to the artifact location"), e.getMessage());
    }
}
