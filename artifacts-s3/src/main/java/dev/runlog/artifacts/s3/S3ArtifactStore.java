package dev.runlog.artifacts.s3;

import dev.runlog.artifacts.s3.internal.S3Failures;
import dev.runlog.artifacts.s3.internal.VerifyingInputStream;
import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.RunlogException;
import dev.runlog.tracking.StoreException;
import dev.runlog.tracking.spi.ArtifactPaths;
import dev.runlog.tracking.spi.ArtifactStore;
import dev.runlog.tracking.spi.InputRules;
import dev.runlog.tracking.spi.IoFailures;
import dev.runlog.tracking.spi.ProcessOwner;
import dev.runlog.tracking.spi.Sha256;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Run artifacts as objects in an S3 bucket (AWS S3, MinIO, Ceph, any S3-compatible store):
 * {@code s3://bucket/prefix/<runId>/artifacts/<path>}, the same layout as on a file system.
 *
 * <p>Stores open it for {@code ?artifacts=s3://bucket/prefix}; code that has an {@link S3Client}
 * already builds one with {@link #builder(S3Client, String)} and hands it to
 * {@code Tracker.builder().store(trackingStore, artifactStore)}.
 *
 * <ul>
 *   <li><b>Uploads stream.</b> Content that fits one part ({@link #DEFAULT_PART_SIZE} by default) goes
 *       up in one request; longer content as a multipart upload, one part in memory at a time, to a
 *       temporary key first, then copied into place by the server: a reader never sees half an
 *       object, nor one without its digest. A failure (the content stream throwing included) aborts
 *       the multipart upload and deletes the temporary object, so nothing is left behind.</li>
 *   <li><b>Reads are verified.</b> The SHA-256 computed while uploading is recorded as the object's
 *       metadata {@code x-amz-meta-sha256}; {@link #open} streams the object and, at its end, checks
 *       the bytes against it, and checks the object's own key, recorded beside it, against the key
 *       read (a copy carries its source's metadata): an object changed or replaced behind the
 *       store's back is an {@link IntegrityException}, never another artifact.</li>
 *   <li><b>Errors</b> are Runlog's, naming the bucket and object: a missing bucket or file is a
 *       {@link NotFoundException}, access denied or an unreachable endpoint a {@link StoreException}.</li>
 * </ul>
 */
public final class S3ArtifactStore implements ArtifactStore {
    /** The part size of multipart uploads unless the builder says otherwise: 8 MiB. */
    public static final int DEFAULT_PART_SIZE = 8 << 20;
    /** S3's smallest part size but for the last: 5 MiB. */
    public static final int MIN_PART_SIZE = 5 << 20;
    /** The metadata name under which the SHA-256 is recorded (sent as {@code x-amz-meta-sha256}). */
    public static final String SHA256_METADATA = "sha256";
    /**
     * The metadata name under which the SHA-256 of the object's own key is recorded (sent as
     * {@code x-amz-meta-runlog-key-sha256}; the key's digest, since metadata is ASCII and at most
     * 2 KB, and keys are neither): a copy made behind the store's back ({@code aws s3 cp} from
     * another run's prefix) carries its source's metadata, content digest included, so that digest
     * alone would vouch for another artifact's bytes.
     */
    public static final String KEY_METADATA = "runlog-key-sha256";

    private static final System.Logger LOG = System.getLogger(S3ArtifactStore.class.getName());
    private static final int MAX_PARTS = 10_000;
    /** CopyObject's limit; above it the temporary object is copied in parts. */
    private static final long MAX_SINGLE_COPY = 5L << 30;
    private static final String TEMP_DIR = ".runlog-tmp";
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    /** The buffer a file's first bytes are read into, grown by doubling up to a part. */
    private static final int FIRST_BUFFER = 64 * 1024;

    private final S3Client s3;
    private final boolean closeClient;
    private final String bucket;
    private final String prefix;
    private final int partSize;
    private final String tempPrefix;

    private S3ArtifactStore(Builder builder) {
        this.s3 = builder.client;
        this.closeClient = builder.closeClient;
        this.bucket = builder.bucket;
        this.prefix = builder.prefix;
        this.partSize = builder.partSize;
        ProcessOwner self = ProcessOwner.current();
        this.tempPrefix = key(TEMP_DIR) + "/" + self.machineToken() + "-" + self.pid() + "-"
                + (self.startMillis().isEmpty() ? "x" : Long.toString(self.startMillis().getAsLong())) + "-";
    }

    /**
     * A builder of a store in {@code bucket} through {@code client}, which the caller configured
     * (region, credentials, endpoint) and keeps owning unless {@link Builder#closeClient(boolean)}
     * says otherwise.
     *
     * @throws InvalidInputException if the bucket name is not a valid S3 bucket name
     */
    public static Builder builder(S3Client client, String bucket) {
        return new Builder(InputRules.notNull("client", client), checkBucket(InputRules.notNull("bucket", bucket)));
    }

    /** The bucket this store writes to. */
    public String bucket() {
        return bucket;
    }

    /** The key prefix under which runs are kept, without leading or trailing {@code /}; may be empty. */
    public String prefix() {
        return prefix;
    }

    /** {@code s3://bucket/prefix/<runId>/artifacts}. */
    @Override
    public String artifactUri(String runId) {
        return "s3://" + bucket + "/" + runKey(runId) + "artifacts";
    }

    @Override
    public ArtifactEntry put(String runId, String path, InputStream content) {
        InputRules.notNull("content", content);
        String file = ArtifactPaths.normalize(path);
        if (file.isEmpty()) {
            throw new InvalidInputException("artifact path '" + path + "' names the root; give a file path");
        }
        String key = fileKey(runId, file);
        String action = "storing artifact '" + file + "' of run " + runId;
        DigestInputStream hashing = Sha256.hashing(content);
        // Grown as the content comes, up to a part: a small file (most are) costs its own size, not
        // a part's 8 MiB, which a few threads logging small files at once ran out of heap on.
        byte[] part = new byte[Math.min(partSize, FIRST_BUFFER)];
        try {
            int first = hashing.readNBytes(part, 0, part.length);
            while (first == part.length && part.length < partSize) {
                part = java.util.Arrays.copyOf(part, (int) Math.min(partSize, 2L * part.length));
                first += hashing.readNBytes(part, first, part.length - first);
            }
            if (first < part.length) {
                // All of it fits one part: one request, with the digest known before it is sent.
                String sha256 = Sha256.hex(hashing);
                try {
                    s3.putObject(b -> b.bucket(bucket).key(key).metadata(Map.of(SHA256_METADATA, sha256, KEY_METADATA, Sha256.of(key))),
                            RequestBody.fromInputStream(new ByteArrayInputStream(part, 0, first), first));
                } catch (SdkException e) {
                    throw uploadFailure(e, action, key);
                }
                return ArtifactEntry.file(file, first, sha256);
            }
            return putMultipart(runId, file, key, hashing, part, first, action);
        } catch (IOException e) {
            throw IoFailures.storeFailure("Could not read the content of artifact '" + file + "' of run " + runId
                    + " while storing it in " + uri(key), e);
        }
    }

    /**
     * Uploads in parts to a temporary key, then copies it to {@code key} with the digest, known only
     * now, as metadata. Any failure aborts the upload and deletes the temporary object.
     */
    private ArtifactEntry putMultipart(String runId, String file, String key, DigestInputStream hashing,
                                       byte[] part, int first, String action) throws IOException {
        String temp = tempPrefix + UUID.randomUUID();
        String uploadId;
        try {
            uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(temp)).uploadId();
        } catch (SdkException e) {
            throw S3Failures.translate(e, action, bucket, uri(key));
        }
        boolean completed = false;
        try {
            List<CompletedPart> parts = new ArrayList<>();
            long size = 0;
            int length = first;
            while (length > 0) {
                int number = parts.size() + 1;
                if (number > MAX_PARTS) {
                    throw new InvalidInputException("Artifact '" + file + "' of run " + runId + " is larger than "
                            + MAX_PARTS + " parts of " + partSize + " bytes, the most one S3 upload takes");
                }
                int n = length;
                String etag;
                try {
                    etag = s3.uploadPart(b -> b.bucket(bucket).key(temp).uploadId(uploadId).partNumber(number)
                            .contentLength((long) n), RequestBody.fromInputStream(new ByteArrayInputStream(part, 0, n), n)).eTag();
                } catch (SdkException e) {
                    throw uploadFailure(e, action, key);
                }
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                size += n;
                length = hashing.readNBytes(part, 0, part.length);
            }
            call(action, key, () -> s3.completeMultipartUpload(b -> b.bucket(bucket).key(temp).uploadId(uploadId)
                    .multipartUpload(u -> u.parts(parts))));
            completed = true;
            String sha256 = Sha256.hex(hashing);
            copyWithDigest(temp, key, size, sha256, action);
            return ArtifactEntry.file(file, size, sha256);
        } finally {
            cleanUp(temp, completed ? null : uploadId);
        }
    }

    /** Copies the uploaded temporary object into place with its digest; in parts above CopyObject's limit. */
    private void copyWithDigest(String temp, String key, long size, String sha256, String action) {
        Map<String, String> metadata = Map.of(SHA256_METADATA, sha256, KEY_METADATA, Sha256.of(key));
        if (size <= MAX_SINGLE_COPY) {
            call(action, key, () -> s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(temp)
                    .destinationBucket(bucket).destinationKey(key)
                    .metadataDirective(MetadataDirective.REPLACE).metadata(metadata)));
            return;
        }
        String uploadId = call(action, key,
                () -> s3.createMultipartUpload(b -> b.bucket(bucket).key(key).metadata(metadata)).uploadId());
        boolean completed = false;
        try {
            List<CompletedPart> parts = new ArrayList<>();
            for (long start = 0; start < size; start += MAX_SINGLE_COPY) {
                int number = parts.size() + 1;
                String range = "bytes=" + start + "-" + (Math.min(start + MAX_SINGLE_COPY, size) - 1);
                String etag = call(action, key, () -> s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey(temp)
                        .destinationBucket(bucket).destinationKey(key).uploadId(uploadId).partNumber(number)
                        .copySourceRange(range)).copyPartResult().eTag());
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            }
            call(action, key, () -> s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(u -> u.parts(parts))));
            completed = true;
        } finally {
            if (!completed) {
                abortQuietly(key, uploadId);
            }
        }
    }

    /** Aborts the upload if it is still open and deletes the temporary object; failures here are only logged. */
    private void cleanUp(String temp, String openUploadId) {
        if (openUploadId != null) {
            abortQuietly(temp, openUploadId);
            return;
        }
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(temp));
        } catch (SdkException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not delete the temporary object {0}: {1}", uri(temp),
                    S3Failures.translate(e, "deleting a temporary object", bucket, uri(temp)).getMessage());
        }
    }

    private void abortQuietly(String key, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (SdkException e) {
            // The upload already failed with its own exception; this one is secondary.
            LOG.log(System.Logger.Level.WARNING, "Could not abort the multipart upload of {0}: {1}", uri(key),
                    S3Failures.translate(e, "aborting an upload", bucket, uri(key)).getMessage());
        }
    }

    /**
     * Streams a stored object; reading it to its end checks its SHA-256 against the one recorded at
     * upload.
     *
     * @throws NotFoundException  if there is no object at {@code path}, or no bucket
     * @throws IntegrityException if the object carries no recorded SHA-256 (it was replaced by
     *                            something other than this store), or, at the end of the stream, if
     *                            its bytes do not match it
     */
    @Override
    public InputStream open(String runId, String path) {
        String file = ArtifactPaths.normalize(path);
        String key = fileKey(runId, file);
        ResponseInputStream<GetObjectResponse> in;
        try {
            in = s3.getObject(b -> b.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            throw new NotFoundException("Run " + runId + " has no artifact file '" + file + "' (no object " + uri(key) + ")");
        } catch (SdkException e) {
            throw S3Failures.translate(e, "opening artifact '" + file + "' of run " + runId, bucket, uri(key));
        }
        String expected = in.response().metadata().get(SHA256_METADATA);
        if (expected == null) {
            in.abort();
            throw new IntegrityException("S3 object " + uri(key) + " (artifact '" + file + "' of run " + runId
                    + ") has no recorded SHA-256: it was replaced behind Runlog's back");
        }
        String recordedKey = in.response().metadata().get(KEY_METADATA);
        if (recordedKey != null && !recordedKey.equals(Sha256.of(key))) {
            in.abort();
            throw new IntegrityException("S3 object " + uri(key) + " (artifact '" + file + "' of run " + runId
                    + ") holds what Runlog stored under another key: it was copied there behind Runlog's back");
        }
        return new VerifyingInputStream(in, expected, uri(key));
    }

    @Override
    public List<ArtifactEntry> list(String runId, String path) {
        String dir = ArtifactPaths.normalize(path);
        String listed = dir.isEmpty() ? runKey(runId) + "artifacts/" : fileKey(runId, dir) + "/";
        List<ArtifactEntry> entries = new ArrayList<>();
        try {
            for (var page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(listed).delimiter("/"))) {
                for (CommonPrefix sub : page.commonPrefixes()) {
                    String name = sub.prefix().substring(listed.length(), sub.prefix().length() - 1);
                    entries.add(ArtifactEntry.directory(ArtifactPaths.join(dir, name)));
                }
                for (S3Object object : page.contents()) {
                    String name = object.key().substring(listed.length());
                    if (!name.isEmpty()) {
                        entries.add(new ArtifactEntry(ArtifactPaths.join(dir, name), false, object.size(), Optional.empty()));
                    }
                }
            }
        } catch (SdkException e) {
            throw S3Failures.translate(e, "listing artifacts '" + dir + "' of run " + runId, bucket, uri(listed));
        }
        entries.sort(Comparator.comparing(ArtifactEntry::path));
        return List.copyOf(entries);
    }

    /**
     * Deletes every object under {@code prefix/<runId>/}.
     *
     * @return how many bytes of objects it deleted
     */
    @Override
    public long deleteRunArtifacts(String runId) {
        String run = runKey(runId);
        long bytes = 0;
        try {
            for (var page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(run))) {
                for (S3Object object : page.contents()) {
                    s3.deleteObject(b -> b.bucket(bucket).key(object.key()));
                    // A key ending in '/' is a folder marker (a console's, or a file-system-backed
                    // server's directory), not an artifact: its size is no artifact's bytes.
                    bytes += object.key().endsWith("/") ? 0 : object.size();
                }
            }
        } catch (SdkException e) {
            throw S3Failures.translate(e, "deleting the artifacts of run " + runId, bucket, uri(run));
        }
        return bytes;
    }

    /**
     * Aborts the multipart uploads and deletes the temporary objects that writers which died
     * mid-upload on this machine left under {@code prefix/.runlog-tmp/}: never one of a live
     * process, nor one of another machine, whose liveness this process cannot see.
     */
    @Override
    public int removeTemporaryFilesOfDeadProcesses() {
        String temps = key(TEMP_DIR) + "/";
        int removed = 0;
        try {
            for (var page : s3.listMultipartUploadsPaginator(b -> b.bucket(bucket).prefix(temps))) {
                for (MultipartUpload upload : page.uploads()) {
                    if (writtenByDeadProcess(upload.key().substring(temps.length()))) {
                        abortQuietly(upload.key(), upload.uploadId());
                        removed++;
                    }
                }
            }
            for (var page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(temps))) {
                for (S3Object object : page.contents()) {
                    if (writtenByDeadProcess(object.key().substring(temps.length()))) {
                        s3.deleteObject(b -> b.bucket(bucket).key(object.key()));
                        removed++;
                    }
                }
            }
        } catch (SdkException e) {
            throw S3Failures.translate(e, "removing uploads of dead processes", bucket, uri(temps));
        }
        return removed;
    }

    private static boolean writtenByDeadProcess(String name) {
        String[] fields = name.split("-", 4);
        if (fields.length != 4) {
            return false;
        }
        try {
            OptionalLong start = fields[2].equals("x") ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(fields[2]));
            Optional<ProcessOwner> owner = ProcessOwner.ofThisMachine(fields[0], Long.parseLong(fields[1]), start);
            return owner.isPresent() && owner.get().isGone();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Closes the S3 client if the store owns it (it does when opened from a URI). Idempotent. */
    @Override
    public void close() {
        if (closeClient) {
            s3.close();
        }
    }

    @Override
    public String toString() {
        return "S3ArtifactStore[s3://" + bucket + "/" + prefix + "]";
    }

    private String key(String relative) {
        return prefix.isEmpty() ? relative : prefix + "/" + relative;
    }

    /** {@code prefix/<runId>/}, with its trailing slash. */
    private String runKey(String runId) {
        return key(InputRules.runId(runId)) + "/";
    }

    private String fileKey(String runId, String normalizedPath) {
        return runKey(runId) + "artifacts/" + normalizedPath;
    }

    private String uri(String key) {
        return "s3://" + bucket + "/" + key;
    }

    /**
     * A failed request that carried a body. A server that refuses one (wrong credentials, a policy)
     * may answer before reading the body and close the connection, so the client sees only a write
     * that broke: then one small request, bounded to a few seconds, asks the server directly, and a
     * refusal is reported as one, not as a server out of reach.
     */
    private RunlogException uploadFailure(SdkException e, String action, String key) {
        if (!(e instanceof AwsServiceException) && S3Failures.cutShort(e)) {
            try {
                s3.headBucket(b -> b.bucket(bucket).overrideConfiguration(o -> o.apiCallTimeout(java.time.Duration.ofSeconds(5))));
            } catch (AwsServiceException refusal) {
                if (refusal.statusCode() == 403) {
                    return S3Failures.translate(refusal, action, bucket, uri(key));
                }
            } catch (SdkException probeFailed) {
                e.addSuppressed(probeFailed);
            }
        }
        return S3Failures.translate(e, action, bucket, uri(key));
    }

    private <T> T call(String action, String key, java.util.function.Supplier<T> request) {
        try {
            return request.get();
        } catch (SdkException e) {
            throw S3Failures.translate(e, action, bucket, uri(key));
        }
    }

    static String checkBucket(String bucket) {
        if (bucket.contains("@")) {
            // s3://KEY:SECRET@bucket: the part before the '@' is not echoed, so no secret reaches a log.
            throw new InvalidInputException("the S3 location's bucket holds an '@' (credentials?), not shown here;"
                    + " credentials do not belong in the location: use AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or a profile");
        }
        if (!BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
            throw new InvalidInputException("'" + bucket + "' is not an S3 bucket name: 3 to 63 lowercase letters,"
                    + " digits, dots and hyphens, starting and ending with a letter or digit");
        }
        return bucket;
    }

    /** Builds an {@link S3ArtifactStore} on a client the caller configured. */
    public static final class Builder {
        private final S3Client client;
        private final String bucket;
        private String prefix = "";
        private int partSize = DEFAULT_PART_SIZE;
        private boolean closeClient;

        private Builder(S3Client client, String bucket) {
            this.client = client;
            this.bucket = bucket;
        }

        /**
         * The key prefix under which runs are kept ({@code "team/runlog"}); leading and trailing
         * {@code /} are dropped. Default: none, runs at the bucket's root.
         *
         * @throws InvalidInputException if a segment is {@code ..} or {@code .}, or holds a backslash or NUL
         */
        public Builder prefix(String prefix) {
            this.prefix = ArtifactPaths.normalize(InputRules.notNull("prefix", prefix).replaceAll("^/+", ""));
            return this;
        }

        /**
         * The size of each part of a multipart upload, and so the memory one upload holds; at least
         * {@link #MIN_PART_SIZE}. Content shorter than one part is stored in one request.
         *
         * @throws InvalidInputException if below {@link #MIN_PART_SIZE}
         */
        public Builder partSize(int bytes) {
            if (bytes < MIN_PART_SIZE) {
                throw new InvalidInputException("part size " + bytes + " is below S3's minimum of " + MIN_PART_SIZE + " bytes");
            }
            this.partSize = bytes;
            return this;
        }

        /** Whether {@link S3ArtifactStore#close()} closes the client too; default false, the caller owns it. */
        public Builder closeClient(boolean close) {
            this.closeClient = close;
            return this;
        }

        /** The store. */
        public S3ArtifactStore build() {
            return new S3ArtifactStore(this);
        }
    }
}
