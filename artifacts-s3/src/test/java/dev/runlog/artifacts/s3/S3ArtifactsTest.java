package dev.runlog.artifacts.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.LoggedModel;
import dev.runlog.tracking.RunlogException;
import dev.runlog.tracking.StoreException;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.Purge;
import dev.runlog.tracking.spi.Sha256;
import dev.runlog.tracking.spi.TrackerStores;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** What an S3 artifact store does beyond the kit: multipart, verification, cleanup, errors. */
class S3ArtifactsTest {
    @RegisterExtension
    static final S3Proxies S3 = new S3Proxies();

    @TempDir
    Path dir;

    private S3Client client;
    private String prefix;

    @BeforeEach
    void connect() {
        client = S3.client();
        prefix = S3Proxies.newPrefix();
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    private Tracker tracker() {
        return Tracker.builder().uri("sqlite:" + dir.resolve("runlog.db") + "?artifacts=" + S3.artifactsOption(prefix))
                .shutdownHook(false).build();
    }

    private List<String> keys(String under) {
        List<String> keys = new ArrayList<>();
        for (var page : client.listObjectsV2Paginator(b -> b.bucket(S3Proxies.BUCKET).prefix(under))) {
            page.contents().stream().map(S3Object::key).filter(k -> !k.endsWith("/")).forEach(keys::add);
        }
        return keys;
    }

    private int pendingUploads() {
        return client.listMultipartUploads(b -> b.bucket(S3Proxies.BUCKET).prefix(prefix + "/")).uploads().size();
    }

    /** {@code client}, recording the name of every method called on it. */
    private static S3Client recording(S3Client client, List<String> calls) {
        return (S3Client) Proxy.newProxyInstance(S3Client.class.getClassLoader(), new Class<?>[] {S3Client.class},
                (proxy, method, args) -> {
                    calls.add(method.getName());
                    try {
                        return method.invoke(client, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void aTwentyMebibyteArtifactGoesUpInPartsAndComesBackByteIdenticalWithItsSha256() throws IOException {
        byte[] content = random(20 << 20, 1);
        Path file = Files.write(dir.resolve("weights.bin"), content);
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        try (S3ArtifactStore store = S3ArtifactStore.builder(recording(client, calls), S3Proxies.BUCKET).prefix(prefix).build();
             InputStream in = Files.newInputStream(file)) {
            ArtifactEntry entry = store.put("0123456789abcdef0123456789abcdef", "models/weights.bin", in);
            assertEquals(ArtifactEntry.file("models/weights.bin", content.length, Sha256.of(content)), entry);
            // 20 MiB in 8 MiB parts: three parts, then one server-side copy into place.
            assertEquals(3, calls.stream().filter("uploadPart"::equals).count(), calls.toString());
            assertTrue(calls.contains("completeMultipartUpload") && calls.contains("copyObject"), calls.toString());
            assertFalse(calls.contains("putObject"), calls.toString());
            try (InputStream back = store.open("0123456789abcdef0123456789abcdef", "models/weights.bin")) {
                assertArrayEquals(content, back.readAllBytes());
            }
        }
        assertEquals(List.of(prefix + "/0123456789abcdef0123456789abcdef/artifacts/models/weights.bin"), keys(prefix + "/"),
                "the temporary object is gone");
        assertEquals(0, pendingUploads());
    }

    @Test
    void throughTheTrackerTheBigArtifactIsListedWithItsDigestAndReadBack() throws IOException {
        byte[] content = random(20 << 20, 2);
        Path file = Files.write(dir.resolve("weights.bin"), content);
        try (Tracker tracker = tracker()) {
            String runId;
            try (ActiveRun run = tracker.startRun("s3")) {
                run.logArtifact(file, "models");
                runId = run.id();
            }
            assertEquals(List.of(ArtifactEntry.file("models/weights.bin", content.length, Sha256.of(content))),
                    tracker.listArtifacts(runId, "models"));
            try (InputStream in = tracker.openArtifact(runId, "models/weights.bin")) {
                assertArrayEquals(content, in.readAllBytes());
            }
            assertEquals("s3://" + S3Proxies.BUCKET + "/" + prefix + "/" + runId + "/artifacts",
                    tracker.getRun(runId).info().artifactUri());
        }
        assertFalse(Files.exists(dir.resolve("runlog.db.artifacts")), "nothing lands in the default directory");
    }

    @Test
    void anObjectReplacedBehindTheStoresBackIsAnIntegrityException() throws IOException {
        try (Tracker tracker = tracker()) {
            String runId;
            try (ActiveRun run = tracker.startRun("s3")) {
                run.logText("accuracy 0.97", "notes.txt");
                runId = run.id();
            }
            String key = prefix + "/" + runId + "/artifacts/notes.txt";
            client.putObject(b -> b.bucket(S3Proxies.BUCKET).key(key), RequestBody.fromString("accuracy 0.99"));
            IntegrityException replaced = assertThrows(IntegrityException.class,
                    () -> tracker.openArtifact(runId, "notes.txt").readAllBytes());
            assertTrue(replaced.getMessage().contains(key), replaced.getMessage());

            // Changed with the old digest kept: caught when the stream reaches its end.
            String recorded = Sha256.of("accuracy 0.97");
            client.putObject(b -> b.bucket(S3Proxies.BUCKET).key(key).metadata(Map.of("sha256", recorded)),
                    RequestBody.fromString("accuracy 0.99"));
            try (InputStream in = tracker.openArtifact(runId, "notes.txt")) {
                IntegrityException changed = assertThrows(IntegrityException.class, in::readAllBytes);
                assertTrue(changed.getMessage().contains(recorded), changed.getMessage());
            }
        }
    }

    @Test
    void anObjectReplacedWithForgedMetadataIsCaughtByTheDigestRecordedInTheDatabase() throws IOException {
        // Whoever can write the bucket can also write an object's metadata to match its new bytes:
        // only the digest the tracking store recorded when the file was logged vouches for it.
        try (Tracker tracker = tracker()) {
            String runId;
            try (ActiveRun run = tracker.startRun("s3")) {
                run.logText("genuine weights", "model/weights.txt");
                runId = run.id();
            }
            String key = prefix + "/" + runId + "/artifacts/model/weights.txt";
            client.putObject(b -> b.bucket(S3Proxies.BUCKET).key(key).metadata(Map.of("sha256", Sha256.of("BACKDOORED"),
                    "runlog-key-sha256", Sha256.of(key))), RequestBody.fromString("BACKDOORED"));
            try (InputStream in = tracker.openArtifact(runId, "model/weights.txt")) {
                IntegrityException changed = assertThrows(IntegrityException.class, in::readAllBytes);
                assertTrue(changed.getMessage().contains("changed since it was stored"), changed.getMessage());
            }
            Path target = dir.resolve("forged-download");
            assertThrows(IntegrityException.class, () -> tracker.downloadArtifacts(runId, "model", target));
            assertFalse(Files.exists(target.resolve("model/weights.txt")), "the forged file was left at the target");
        }
    }

    @Test
    void anotherRunsArtifactCopiedOverAnObjectIsAnIntegrityException() throws IOException {
        // A server-side copy (aws s3 cp between run prefixes) carries the source's metadata, digest
        // included: the digest alone vouched for the other run's bytes.
        try (Tracker tracker = tracker()) {
            String[] runs = new String[2];
            for (int i = 0; i < 2; i++) {
                try (ActiveRun run = tracker.startRun("s3")) {
                    run.logText("model of run " + i, "model.txt");
                    runs[i] = run.id();
                }
            }
            String from = prefix + "/" + runs[0] + "/artifacts/model.txt";
            String to = prefix + "/" + runs[1] + "/artifacts/model.txt";
            client.copyObject(b -> b.sourceBucket(S3Proxies.BUCKET).sourceKey(from)
                    .destinationBucket(S3Proxies.BUCKET).destinationKey(to));
            IntegrityException copied = assertThrows(IntegrityException.class,
                    () -> tracker.openArtifact(runs[1], "model.txt").readAllBytes());
            assertTrue(copied.getMessage().contains(to) && copied.getMessage().contains("under another key"), copied.getMessage());
            try (InputStream in = tracker.openArtifact(runs[0], "model.txt")) {
                assertEquals("model of run 0", new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1 << 20, 12 << 20})
    void anUploadWhoseStreamFailsMidwayLeavesNoObjectAndNoPendingUpload(int failAfter) {
        InputStream failing = new InputStream() {
            private int read;

            @Override
            public int read() throws IOException {
                if (read++ >= failAfter) {
                    throw new IOException("disk went away");
                }
                return 7;
            }
        };
        try (S3ArtifactStore store = S3ArtifactStore.builder(client, S3Proxies.BUCKET).prefix(prefix).build()) {
            StoreException e = assertThrows(StoreException.class,
                    () -> store.put("0123456789abcdef0123456789abcdef", "model.bin", failing));
            assertTrue(e.getMessage().contains("model.bin") && e.getMessage().contains("disk went away"), e.getMessage());
            assertEquals(List.of(), store.list("0123456789abcdef0123456789abcdef", ""));
        }
        assertEquals(List.of(), keys(prefix + "/"));
        assertEquals(0, pendingUploads());
    }

    @ParameterizedTest
    @ValueSource(strings = {"../outside.bin", "a/../../b", "/etc/passwd", "C:/x", "a\\b", "nul\0byte", ""})
    void hostilePathsAreRefusedAndStoreNothing(String path) {
        try (S3ArtifactStore store = S3ArtifactStore.builder(client, S3Proxies.BUCKET).prefix(prefix).build()) {
            assertThrows(InvalidInputException.class,
                    () -> store.put("0123456789abcdef0123456789abcdef", path, InputStream.nullInputStream()));
            if (!path.isEmpty()) {
                assertThrows(InvalidInputException.class, () -> store.open("0123456789abcdef0123456789abcdef", path));
            }
        }
        assertEquals(List.of(), keys(""  + prefix));
        assertThrows(InvalidInputException.class,
                () -> S3ArtifactStore.builder(client, S3Proxies.BUCKET).prefix("team/../other"));
    }

    @Test
    void aFilesModelInS3IsLoggedAndLoadedBack() throws IOException {
        Path model = Files.createDirectories(dir.resolve("model"));
        Files.write(model.resolve("weights.bin"), random(3000, 3));
        Files.writeString(Files.createDirectories(model.resolve("meta")).resolve("labels.txt"), "a\nb\n");
        try (Tracker tracker = tracker()) {
            LoggedModel logged;
            String runId;
            try (ActiveRun run = tracker.startRun("s3")) {
                logged = run.logModel("model", model);
                runId = run.id();
            }
            Path loaded = tracker.loadModel(logged.uri(), Path.class);
            assertArrayEquals(Files.readAllBytes(model.resolve("weights.bin")), Files.readAllBytes(loaded.resolve("weights.bin")));
            assertEquals("a\nb\n", Files.readString(loaded.resolve("meta/labels.txt")));
            List<String> keys = keys(prefix + "/" + runId + "/artifacts/model/");
            assertTrue(keys.stream().anyMatch(k -> k.endsWith("/weights.bin")), keys.toString());
            assertTrue(keys.stream().anyMatch(k -> k.endsWith("/meta/labels.txt")), keys.toString());
        }
    }

    @Test
    void purgingADeletedRunDeletesItsObjects() {
        try (Tracker tracker = tracker()) {
            String gone;
            String kept;
            try (ActiveRun run = tracker.startRun("s3")) {
                run.logText("bye", "a/notes.txt").logText("!", "b.txt");
                gone = run.id();
            }
            try (ActiveRun run = tracker.startRun("s3")) {
                run.logText("stay", "notes.txt");
                kept = run.id();
            }
            tracker.deleteRun(gone);
            TrackerStores stores = TrackerStores.of(tracker);
            Purge purge = stores.tracking().purgeDeleted(Instant.now().plusSeconds(60), Set.of(), false);
            assertEquals(List.of(gone), purge.runIds());
            assertEquals(4, stores.artifacts().deleteRunArtifacts(gone));
            assertEquals(List.of(), keys(prefix + "/" + gone + "/"));
            assertEquals(List.of(prefix + "/" + kept + "/artifacts/notes.txt"), keys(prefix + "/"));
        }
    }

    @Test
    void aMissingBucketIsNotFoundNamingIt() {
        try (S3ArtifactStore store = S3ArtifactStore.builder(client, "no-such-bucket").build()) {
            RunlogException e = assertThrows(dev.runlog.tracking.NotFoundException.class,
                    () -> store.put("0123456789abcdef0123456789abcdef", "m.bin", InputStream.nullInputStream()));
            assertTrue(e.getMessage().contains("no-such-bucket") && e.getMessage().contains("m.bin"), e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 300_000})
    void wrongCredentialsAreAccessDeniedNamingTheObjectButNotTheSecret(int size) {
        try (S3Client wrong = S3.client(S3Proxies.ACCESS_KEY, "not-the-secret-xyz");
             S3ArtifactStore store = S3ArtifactStore.builder(wrong, S3Proxies.BUCKET).prefix(prefix).build()) {
            StoreException e = assertThrows(StoreException.class,
                    () -> store.put("0123456789abcdef0123456789abcdef", "m.bin", new java.io.ByteArrayInputStream(new byte[size])));
            assertTrue(e.getMessage().contains(S3Proxies.BUCKET) && e.getMessage().contains("m.bin"), e.getMessage());
            // Not "could not reach": the server answered, and said no, even when it cut the upload short.
            assertTrue(e.getMessage().contains("denied access"), e.getMessage());
            assertFalse(e.getMessage().contains("not-the-secret-xyz"), e.getMessage());
        }
    }

    @Test
    void anUnreachableEndpointIsAStoreExceptionNamingBucketAndKey() throws IOException {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String uri = "sqlite:" + dir.resolve("runlog.db") + "?artifacts=s3://" + S3Proxies.BUCKET + "/" + prefix
                + "&endpoint=http://127.0.0.1:" + closedPort + "&path-style=true&checksums=when-required";
        try (Tracker tracker = Tracker.builder().uri(uri).shutdownHook(false).build();
             ActiveRun run = tracker.startRun("s3")) {
            StoreException e = assertThrows(StoreException.class, () -> run.logText("x", "notes.txt"));
            assertTrue(e.getMessage().contains(S3Proxies.BUCKET) && e.getMessage().contains("notes.txt"), e.getMessage());
            assertFalse(e.getMessage().contains(S3Proxies.SECRET_KEY), e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"&checksums=sometimes", "&path-style=yes", "&endpoint=ftp://h", "&region=", "&bucket=x",
            "&region=eu west 1", "&region=../../x"})
    void badOptionsAreRefusedNamingThem(String option) {
        String uri = "sqlite:" + dir.resolve("runlog.db") + "?artifacts=s3://" + S3Proxies.BUCKET + "/p" + option;
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Tracker.open(uri));
        String named = option.substring(1, option.endsWith("=") ? option.length() : option.indexOf('=') + 1);
        assertTrue(e.getMessage().contains(named), e.getMessage());
        assertFalse(Files.exists(dir.resolve("runlog.db")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"?artifacts=s3://AKIAEXAMPLE:wJalrSECRET@" + S3Proxies.BUCKET + "/p",
            "?artifacts=s3://" + S3Proxies.BUCKET + "/p&endpoint=http://AKIAEXAMPLE:wJalr/SECRET@127.0.0.1:9000",
            "?artifacts=s3://" + S3Proxies.BUCKET + "/p&endpoint=http://AKIAEXAMPLE:wJalrSECRET@127.0.0.1:abc",
            "?artifacts=s3://" + S3Proxies.BUCKET + "/p&endpoint=http://AKIAEXAMPLE:wJalrSECRET@127.0.0.1:9000&bogus=1",
            // The same %-encoded, as option values may be written.
            "?artifacts=s3://" + S3Proxies.BUCKET + "/p&endpoint=http%3A%2F%2FAKIAEXAMPLE%3AwJalrSECRET%40127.0.0.1%3A9000&bogus=1",
            "?artifacts=s3%3A%2F%2FAKIAEXAMPLE%3AwJalrSECRET%40" + S3Proxies.BUCKET + "%2Fp&bogus=1"})
    void credentialsWrittenIntoTheUriAreRefusedWithoutShowingThem(String query) {
        // A user who pastes KEY:SECRET@ into a location must not find the secret in a log.
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Tracker.open("sqlite:" + dir.resolve("runlog.db") + query));
        assertFalse(e.getMessage().contains("SECRET") || e.getMessage().contains("AKIAEXAMPLE"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("runlog.db")));
    }
}
