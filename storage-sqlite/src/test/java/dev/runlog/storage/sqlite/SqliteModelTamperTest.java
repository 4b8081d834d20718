package dev.runlog.storage.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.registry.DeployOptions;
import dev.runlog.registry.DeployedModel;
import dev.runlog.registry.DeploymentListener;
import dev.runlog.registry.ModelEvent;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.Stage;
import dev.runlog.registry.TransitionOptions;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.Tracker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registered version keeps serving the model it was registered with even when its files are
 * edited on disk behind Runlog's back: {@code resolve}, {@code load}, {@code deploy} and a
 * deployment's refresh refuse it with an IntegrityException naming the model, the version and
 * what changed, and the audit trail is left as it was.
 */
class SqliteModelTamperTest {

    /** A json-flavored model. */
    public record Weights(List<Double> coefficients, double intercept) {
    }

    private static final Weights A = new Weights(List.of(0.5, -0.25), 1.5);
    private static final Weights B = new Weights(List.of(9.0, 9.0), 9.0);
    /** Deployments here are refreshed by hand; the poller never runs within a test. */
    private static final DeployOptions NO_POLL = DeployOptions.defaults().pollInterval(Duration.ofHours(1));

    @TempDir
    Path dir;

    private Tracker tracker;
    private ModelRegistry registry;

    @BeforeEach
    void open() {
        reopen();
    }

    private void reopen() {
        tracker = Tracker.builder().uri("sqlite:" + dir.resolve("runlog.db")).shutdownHook(false).build();
        registry = ModelRegistry.of(tracker);
    }

    @AfterEach
    void close() {
        tracker.close();
    }

    /** Logs {@code model} as "model" of a new finished run and registers it under "m". */
    private ModelVersion register(Weights model) {
        try (ActiveRun run = tracker.startRun("tamper")) {
            return registry.register("m", run.logModel("model", model).uri());
        }
    }

    private Path modelDir(ModelVersion v) {
        return dir.resolve("runlog.db.artifacts").resolve(v.runId()).resolve("artifacts").resolve("model");
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** Writes {@code model}'s json as v's payload; with {@code andDescriptor}, also its SHA-256 into MLmodel.json. */
    private void swapPayload(ModelVersion v, Weights model, boolean andDescriptor) throws Exception {
        Path payload = modelDir(v).resolve("data/model.json");
        String oldSha = sha256(Files.readAllBytes(payload));
        byte[] forged = ("{\"coefficients\":" + model.coefficients() + ",\"intercept\":" + model.intercept() + "}")
                .getBytes(StandardCharsets.UTF_8);
        Files.write(payload, forged);
        if (andDescriptor) {
            Path descriptor = modelDir(v).resolve("MLmodel.json");
            String text = Files.readString(descriptor);
            assertTrue(text.contains(oldSha), "the descriptor lists the payload's SHA-256");
            Files.writeString(descriptor, text.replace(oldSha, sha256(forged)));
        }
    }

    private static IntegrityException assertRefused(Executable call, String... parts) {
        IntegrityException e = assertThrows(IntegrityException.class, call);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "message should contain '" + part + "': " + e.getMessage());
        }
        return e;
    }

    @Test
    void aPayloadEditedTogetherWithItsDescriptorIsRefusedByResolveLoadDeployAndRefresh() throws Exception {
        ModelVersion v1 = register(A);
        registry.transition("m", 1, Stage.PRODUCTION);
        DeployedModel<Weights> live = registry.deploy("models:/m/Production", Weights.class, NO_POLL);
        List<RuntimeException> failures = new CopyOnWriteArrayList<>();
        live.addListener(new DeploymentListener() {
            @Override
            public void failed(ModelVersion attempted, RuntimeException error) {
                failures.add(error);
            }
        });
        List<ModelEvent> history = registry.history("m");

        swapPayload(v1, B, true);

        String[] named = {"'m'", "Version 1", "descriptor", "changed"};
        assertRefused(() -> registry.resolve("models:/m/Production"), named);
        assertRefused(() -> registry.load("models:/m/1", Weights.class), named);
        assertRefused(() -> registry.deploy("m", Stage.PRODUCTION, Weights.class), named);
        assertFalse(live.refresh());
        assertFalse(live.refresh());
        assertEquals(1, failures.size(), "reported once, not at every poll");
        assertInstanceOf(IntegrityException.class, failures.get(0));
        assertTrue(failures.get(0).getMessage().contains("Version 1"), failures.get(0).getMessage());
        assertEquals(A, live.get(), "the handle keeps serving the model it loaded");
        live.close();
        assertEquals(history, registry.history("m"), "the audit trail is untouched");
        // Loaded by its runs:/ URI, past the registry, the descriptor is checked against what was recorded
        // when it was logged: the edit made it another file.
        assertRefused(() -> tracker.loadModel(v1.source(), Weights.class), "descriptor", "changed since the model was logged");
    }

    /** A descriptor deleted (a store copied without its artifacts) was said to have "changed". */
    @Test
    void aDescriptorThatWentMissingIsSaidToBeMissingNotChanged() throws Exception {
        ModelVersion v1 = register(A);
        Files.delete(modelDir(v1).resolve("MLmodel.json"));
        IntegrityException e = assertRefused(() -> tracker.loadModel(v1.source(), Weights.class), "descriptor",
                "went missing after the model was logged", "was recorded when stored but is missing");
        assertFalse(e.getMessage().contains("changed since"), e.getMessage());
        assertRefused(() -> registry.load("models:/m/1", Weights.class), "'m'", "Version 1", "went missing");
    }

    @Test
    void aPayloadEditedAloneIsNamedByLoad() throws Exception {
        ModelVersion v1 = register(A);
        swapPayload(v1, B, false);
        assertEquals(v1.modelDigest(), registry.resolve("models:/m/1").modelDigest(), "the descriptor is unchanged");
        assertRefused(() -> registry.load("models:/m/1", Weights.class), "'m'", "Version 1", "model/data/model.json");
    }

    @Test
    void aNewVersionEditedBeforeTheSwapIsNotSwappedIn() throws Exception {
        register(A);
        registry.transition("m", 1, Stage.PRODUCTION);
        DeployedModel<Weights> live = registry.deploy("models:/m/Production", Weights.class, NO_POLL);
        List<ModelVersion> attempted = new CopyOnWriteArrayList<>();
        live.addListener(new DeploymentListener() {
            @Override
            public void failed(ModelVersion version, RuntimeException error) {
                assertInstanceOf(IntegrityException.class, error);
                attempted.add(version);
            }
        });
        ModelVersion v2 = register(A);
        swapPayload(v2, B, true);
        registry.transition("m", 2, Stage.PRODUCTION, TransitionOptions.archiveExisting());
        assertFalse(live.refresh());
        assertEquals(List.of(2), attempted.stream().map(ModelVersion::version).toList());
        assertEquals(1, live.version().version());
        assertEquals(A, live.get());
        live.close();
    }

    @Test
    void aVersionRegisteredBeforeMigration6HasNoDigestAndItsPayloadIsStillChecked() throws Exception {
        ModelVersion v1 = register(A);
        tracker.close();
        // What a database written before migration 6 looks like: no model_digest column, nor what later
        // migrations added (7: registry_events.gates and an index; 8: runs.deleted_time), schema version 5.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("runlog.db"));
             Statement s = c.createStatement()) {
            s.execute("DROP INDEX runs_by_experiment_stage");
            s.execute("ALTER TABLE registry_events DROP COLUMN gates");
            s.execute("ALTER TABLE model_versions DROP COLUMN model_digest");
            s.execute("ALTER TABLE runs DROP COLUMN deleted_time");
            s.execute("DROP TABLE purged_runs");
            s.execute("PRAGMA user_version = 5");
        }
        reopen();
        assertEquals(Optional.empty(), registry.getVersion("m", 1).modelDigest());
        assertEquals(Optional.empty(), registry.resolve("models:/m/1").modelDigest());
        assertEquals(A, registry.load("models:/m/1", Weights.class));
        assertTrue(register(A).modelDigest().isPresent(), "versions registered after the migration get one");
        swapPayload(v1, B, false);
        assertRefused(() -> registry.load("models:/m/1", Weights.class), "'m'", "Version 1", "model/data/model.json");
    }
}
