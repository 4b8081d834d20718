package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.KitAssertions.assertThrowsWith;
import static dev.runlog.tracking.tck.RegistryKitData.linear;
import static dev.runlog.tracking.tck.RegistryKitData.logModel;
import static dev.runlog.tracking.tck.RegistryKitData.registerNew;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runlog.registry.DeployedModel;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.Stage;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.ModelFlavor;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.Tracker;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Model integrity: a version records the SHA-256 of its model's descriptor, keeps it for life,
 * and keeps serving the model it was registered with; a model that is not whole is never
 * registered.
 */
public interface RegistryModelIntegrityContract {

    private byte[] artifact(StoreHarness kit, String runId, String path) {
        try (java.io.InputStream in = kit.tracker().openArtifact(runId, path)) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** SHA-256 of the MLmodel.json of the model at {@code runs:/<runId>/<path>}, in hex. */
    private String descriptorSha256(StoreHarness kit, String runsUri) {
        String runIdAndPath = runsUri.substring("runs:/".length());
        int slash = runIdAndPath.indexOf('/');
        byte[] descriptor = artifact(kit, runIdAndPath.substring(0, slash), runIdAndPath.substring(slash + 1) + "/MLmodel.json");
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(descriptor));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Test
    @DisplayName("modelDigest is the SHA-256 of MLmodel.json, kept by every read, transition, alias and rename")
    default void digestRecorded(ModelRegistry registry, StoreHarness kit) {
        String uri = logModel(kit, linear(1));
        ModelVersion v1 = registry.register("m", uri);
        String digest = descriptorSha256(kit, uri);
        assertEquals(Optional.of(digest), v1.modelDigest());
        ModelVersion v2 = registerNew(kit, "m", 2);
        assertNotEquals(v1.modelDigest(), v2.modelDigest(), "another model, another digest");
        registry.transition("m", 1, Stage.PRODUCTION);
        registry.setAlias("m", "champion", 1);
        List<ModelVersion> reads = List.of(registry.getVersion("m", 1), registry.resolve("models:/m/Production"),
                registry.getByAlias("m", "champion"), registry.latest("m", Stage.PRODUCTION).orElseThrow(),
                registry.searchVersions("name = 'm' AND version = 1").get(0));
        reads.forEach(read -> assertEquals(Optional.of(digest), read.modelDigest(), read::toString));
        registry.renameModel("m", "renamed");
        assertEquals(Optional.of(digest), registry.getVersion("renamed", 1).modelDigest());
    }

    @Test
    @DisplayName("a registered model cannot be overwritten by its still running run: load and deploy keep serving it")
    default void registeredModelStays(Tracker tracker, ModelRegistry registry, StoreHarness kit) {
        ActiveRun run = tracker.startRun("integrity");
        String uri = run.logModel("model", linear(1), ModelFlavor.json()).uri();
        registry.register("m", uri);
        registry.transition("m", 1, Stage.PRODUCTION);
        assertThrowsWith(ConflictException.class, () -> run.logModel("model", linear(2)), "'model'");
        assertThrowsWith(ConflictException.class, () -> run.logText("{}", "model/MLmodel.json"), "'model/MLmodel.json'");
        run.close();
        assertEquals(linear(1), registry.load("models:/m/Production", TestModels.LinearModel.class));
        DeployedModel<TestModels.LinearModel> live = kit.closeAfter(registry.deploy("m", Stage.PRODUCTION, TestModels.LinearModel.class));
        assertEquals(linear(1), live.get());
        assertEquals(Optional.of(descriptorSha256(kit, uri)), registry.resolve("models:/m/1").modelDigest());
    }

    @Test
    @DisplayName("registering a model whose payload is missing or partial fails with IntegrityException naming the file; no version is made")
    default void halfWrittenModelIsNotRegistered(Tracker tracker, ModelRegistry registry, StoreHarness kit) {
        ActiveRun run = tracker.startRun("integrity");
        String whole = run.logModel("model", linear(1), ModelFlavor.json()).uri();
        String descriptor = new String(artifact(kit, run.id(), "model/MLmodel.json"), java.nio.charset.StandardCharsets.UTF_8);
        run.logText(at(descriptor, "missing"), "missing/MLmodel.json");
        run.logText("{\"weigh", "partial/data/model.json");
        run.logText(at(descriptor, "partial"), "partial/MLmodel.json");
        for (String path : List.of("missing", "partial")) {
            assertThrowsWith(dev.runlog.tracking.IntegrityException.class,
                    () -> registry.register("m", "runs:/" + run.id() + "/" + path), "'m'", path + "/data/model.json");
        }
        assertThrows(NotFoundException.class, () -> registry.getModel("m"), "a refused registration creates nothing");
        assertEquals(1, registry.register("m", whole).version());
    }

    /** The descriptor as one logged at {@code path} would be: a descriptor names the path it lies at. */
    private static String at(String descriptor, String path) {
        return descriptor.replaceAll("\"artifact_path\"\\s*:\\s*\"model\"", "\"artifact_path\": \"" + path + "\"");
    }
}
