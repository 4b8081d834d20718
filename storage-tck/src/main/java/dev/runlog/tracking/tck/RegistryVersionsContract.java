package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.KitAssertions.assertMessageContains;
import static dev.runlog.tracking.tck.KitAssertions.assertThrowsWith;
import static dev.runlog.tracking.tck.KitData.UNKNOWN_RUN_ID;
import static dev.runlog.tracking.tck.RegistryKitData.EXPERIMENT;
import static dev.runlog.tracking.tck.RegistryKitData.PROCESS_USER;
import static dev.runlog.tracking.tck.RegistryKitData.START;
import static dev.runlog.tracking.tck.RegistryKitData.actions;
import static dev.runlog.tracking.tck.RegistryKitData.linear;
import static dev.runlog.tracking.tck.RegistryKitData.logModel;
import static dev.runlog.tracking.tck.RegistryKitData.refs;
import static dev.runlog.tracking.tck.RegistryKitData.registerNew;
import static dev.runlog.tracking.tck.RegistryKitData.registerVersions;
import static dev.runlog.tracking.tck.RegistryKitData.tick;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runlog.registry.ModelEvent.Action;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.RegisteredModel;
import dev.runlog.registry.Stage;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.ModelFlavor;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.Tracker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Versions: numbered 1..n per model, never reused, pointing at logged models. */
public interface RegistryVersionsContract {

    @Test
    @DisplayName("register creates the model on first use, recording MODEL_CREATED then VERSION_REGISTERED")
    default void registerCreatesModel(ModelRegistry registry, StoreHarness kit) {
        String uri = logModel(kit, linear(1));
        assertThrows(NotFoundException.class, () -> registry.getModel("iris"));
        ModelVersion v1 = registry.register("iris", uri);
        assertEquals(1, v1.version());
        RegisteredModel model = registry.getModel("iris");
        assertEquals(START, model.creationTime());
        assertEquals(List.of(Action.MODEL_CREATED, Action.VERSION_REGISTERED), actions(registry.history("iris")));
    }

    @Test
    @DisplayName("a version records its source, run, READY status, user and the clock's time")
    default void versionFields(Tracker tracker, ModelRegistry registry, MutableClock clock, StoreHarness kit) {
        clock.advanceMillis(4_321);
        ActiveRun run = tracker.startRun(EXPERIMENT);
        String uri = run.logModel("models/linear", linear(1), ModelFlavor.json()).uri();
        run.close();
        ModelVersion v = registry.register("iris", uri);
        assertAll(
                () -> assertEquals("iris", v.name()),
                () -> assertEquals(1, v.version()),
                () -> assertEquals(uri, v.source()),
                () -> assertEquals("runs:/" + run.id() + "/models/linear", v.source()),
                () -> assertEquals(run.id(), v.runId()),
                () -> assertEquals(ModelVersion.Status.READY, v.status()),
                () -> assertEquals(Stage.NONE, v.stage()),
                () -> assertEquals("", v.description()),
                () -> assertEquals(PROCESS_USER, v.userId()),
                () -> assertEquals(START.plusMillis(4_321), v.creationTime()),
                () -> assertEquals(START.plusMillis(4_321), v.lastUpdateTime()),
                () -> assertEquals(Map.of(), v.tags()),
                () -> assertEquals(List.of(), v.aliases()),
                () -> assertEquals("models:/iris/1", v.uri()));
        tick(kit);
        assertEquals(v, registry.getVersion("iris", 1), "getVersion reads back what register returned");
    }

    @Test
    @DisplayName("versions are numbered 1..n per model, each model on its own")
    default void sequentialNumbers(ModelRegistry registry, StoreHarness kit) {
        for (int i = 1; i <= 5; i++) {
            assertEquals(i, registerNew(kit, "iris", i).version());
        }
        assertEquals(1, registerNew(kit, "wine", 9).version());
        assertEquals(6, registerNew(kit, "iris", 6).version());
        assertEquals(List.of("iris/6", "iris/5", "iris/4", "iris/3", "iris/2", "iris/1"),
                refs(registry.searchVersions("name = 'iris'")));
    }

    @Test
    @DisplayName("the same logged model may be registered twice, under one name or two")
    default void sameSourceTwice(ModelRegistry registry, StoreHarness kit) {
        String uri = logModel(kit, linear(1));
        assertEquals(1, registry.register("iris", uri).version());
        assertEquals(2, registry.register("iris", uri).version());
        assertEquals(1, registry.register("wine", uri).version());
        assertEquals(uri, registry.getVersion("iris", 2).source());
    }

    @Test
    @DisplayName("a deleted version's number is never given again, not even the highest one")
    default void numbersNeverReused(ModelRegistry registry, StoreHarness kit) {
        registerVersions(kit, "iris", 3);
        registry.deleteVersion("iris", 3);
        assertEquals(4, registerNew(kit, "iris", 4).version());
        registry.deleteVersion("iris", 2);
        registry.deleteVersion("iris", 4);
        assertEquals(5, registerNew(kit, "iris", 5).version());
        assertEquals(List.of("iris/5", "iris/1"), refs(registry.searchVersions("name = 'iris'")));
        assertThrowsWith(NotFoundException.class, () -> registry.getVersion("iris", 2), "'iris'", "version 2");
        assertThrowsWith(NotFoundException.class, () -> registry.deleteVersion("iris", 2), "version 2");
    }

    @Test
    @DisplayName("deleting every version keeps the model; the next one continues the numbering")
    default void deleteAllVersions(ModelRegistry registry, StoreHarness kit) {
        registerNew(kit, "iris", 1);
        registry.deleteVersion("iris", 1);
        assertEquals("iris", registry.getModel("iris").name());
        assertEquals(Optional.empty(), registry.latest("iris", Stage.NONE));
        assertEquals(2, registerNew(kit, "iris", 2).version());
    }

    @ParameterizedTest
    @ValueSource(strings = {"models:/iris/1", "file:///tmp/model", "s3://bucket/model", "model", "", "RUNS:/x/y"})
    @DisplayName("register refuses a URI that is not runs:/ with InvalidInputException, creating nothing")
    default void registerRefusesOtherUris(String uri, ModelRegistry registry) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> registry.register("iris", uri));
        assertMessageContains(e, "runs:/");
        assertThrows(NotFoundException.class, () -> registry.getModel("iris"), "no model was created");
    }

    @Test
    @DisplayName("register of a runs:/ URI where no model was logged fails with NotFoundException, creating nothing")
    default void registerWithoutLoggedModel(Tracker tracker, ModelRegistry registry) {
        String runId;
        try (ActiveRun run = tracker.startRun(EXPERIMENT)) {
            run.logText("not a model", "notes/readme.txt");
            run.logModel("model", linear(1), ModelFlavor.json());
            runId = run.id();
        }
        assertThrows(NotFoundException.class, () -> registry.register("iris", "runs:/" + runId + "/other"));
        assertThrows(NotFoundException.class, () -> registry.register("iris", "runs:/" + runId + "/notes"));
        assertThrows(NotFoundException.class,
                () -> registry.register("iris", "runs:/" + UNKNOWN_RUN_ID + "/model"));
        assertThrows(NotFoundException.class, () -> registry.getModel("iris"), "no model was created");
        assertEquals(1, registry.register("iris", "runs:/" + runId + "/model").version(),
                "the failed attempts used up no version number");
    }

    @Test
    @DisplayName("getVersion tells a missing model from a missing version, naming both")
    default void getVersionNotFound(ModelRegistry registry, StoreHarness kit) {
        registerNew(kit, "iris", 1);
        NotFoundException noVersion = assertThrowsWith(NotFoundException.class,
                () -> registry.getVersion("iris", 7), "'iris'", "version 7");
        NotFoundException noModel = assertThrowsWith(NotFoundException.class,
                () -> registry.getVersion("ghost", 7), "'ghost'", "does not exist");
        assertFalse(noVersion.getMessage().contains("does not exist"),
                () -> "a missing version of an existing model must not read as a missing model: " + noVersion.getMessage());
        assertFalse(noModel.getMessage().contains("version 7"),
                () -> "a missing model must not read as a missing version: " + noModel.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    @DisplayName("version 0 or negative fails with InvalidInputException everywhere a version is given")
    default void nonPositiveVersion(int version, ModelRegistry registry, StoreHarness kit) {
        registerNew(kit, "iris", 1);
        String v = "version " + version;
        assertAll(
                () -> assertThrowsWith(InvalidInputException.class, () -> registry.getVersion("iris", version), v),
                () -> assertThrowsWith(InvalidInputException.class,
                        () -> registry.updateDescription("iris", version, "d"), v),
                () -> assertThrowsWith(InvalidInputException.class,
                        () -> registry.setVersionTag("iris", version, "k", "v"), v),
                () -> assertThrowsWith(InvalidInputException.class,
                        () -> registry.deleteVersionTag("iris", version, "k"), v),
                () -> assertThrowsWith(InvalidInputException.class, () -> registry.deleteVersion("iris", version), v),
                () -> assertThrowsWith(InvalidInputException.class,
                        () -> registry.transition("iris", version, Stage.STAGING), v),
                () -> assertThrowsWith(InvalidInputException.class,
                        () -> registry.promote("iris", version, Stage.STAGING), v),
                () -> assertThrowsWith(InvalidInputException.class,
                        () -> registry.setAlias("iris", "champion", version), v),
                () -> assertThrowsWith(InvalidInputException.class, () -> registry.history("iris", version), v));
    }

    @Test
    @DisplayName("version tags are set, overwritten and deleted, per version")
    default void versionTags(ModelRegistry registry, StoreHarness kit) {
        registerVersions(kit, "iris", 2);
        registry.setVersionTag("iris", 1, "validated", "false");
        registry.setVersionTag("iris", 1, "validated", "true");
        registry.setVersionTag("iris", 1, "dataset", "v3");
        registry.setVersionTag("iris", 2, "dataset", "v4");
        assertEquals(Map.of("validated", "true", "dataset", "v3"), registry.getVersion("iris", 1).tags());
        registry.deleteVersionTag("iris", 1, "dataset");
        assertEquals(Map.of("validated", "true"), registry.getVersion("iris", 1).tags());
        assertEquals(Map.of("dataset", "v4"), registry.getVersion("iris", 2).tags());
        assertEquals(Map.of(), registry.getModel("iris").tags(), "version tags are not model tags");
        assertThrowsWith(NotFoundException.class, () -> registry.setVersionTag("iris", 3, "k", "v"), "version 3");
        assertThrowsWith(NotFoundException.class, () -> registry.setVersionTag("ghost", 1, "k", "v"), "'ghost'");
        assertThrows(InvalidInputException.class, () -> registry.setVersionTag("iris", 1, "bad\tkey", "v"));
    }

    @Test
    @DisplayName("a version's description is set and cleared; other versions keep theirs")
    default void versionDescription(ModelRegistry registry, StoreHarness kit) {
        registerVersions(kit, "iris", 2);
        Instant at = tick(kit);
        ModelVersion described = registry.updateDescription("iris", 1, "trained on the full set");
        assertEquals("trained on the full set", described.description());
        assertEquals(at, described.lastUpdateTime());
        assertEquals(described, registry.getVersion("iris", 1));
        assertEquals("", registry.getVersion("iris", 2).description());
        assertEquals("", registry.getModel("iris").description(), "a version description is not the model's");
        assertEquals("", registry.updateDescription("iris", 1, null).description());
        assertThrowsWith(NotFoundException.class, () -> registry.updateDescription("iris", 9, "d"), "version 9");
        assertThrowsWith(InvalidInputException.class,
                () -> registry.updateDescription("iris", 1, "x".repeat(5_001)), "5001");
        assertEquals("x".repeat(5_000), registry.updateDescription("iris", 1, "x".repeat(5_000)).description());
    }

    @Test
    @DisplayName("lastUpdateTime of a version follows its stage, description, tags and aliases, and nothing else")
    default void versionLastUpdateTime(ModelRegistry registry, StoreHarness kit) {
        registerVersions(kit, "iris", 2);
        Map<String, Runnable> ownChanges = new java.util.LinkedHashMap<>();
        ownChanges.put("transition", () -> registry.transition("iris", 1, Stage.STAGING));
        ownChanges.put("updateDescription", () -> registry.updateDescription("iris", 1, "d"));
        ownChanges.put("setVersionTag", () -> registry.setVersionTag("iris", 1, "k", "v"));
        ownChanges.put("deleteVersionTag", () -> registry.deleteVersionTag("iris", 1, "k"));
        ownChanges.put("setAlias", () -> registry.setAlias("iris", "champion", 1));
        List<String> missed = new ArrayList<>();
        ownChanges.forEach((step, action) -> {
            Instant at = tick(kit);
            action.run();
            ModelVersion v = registry.getVersion("iris", 1);
            if (!v.lastUpdateTime().equals(at)) {
                missed.add(step + " left it at " + v.lastUpdateTime() + " instead of " + at);
            }
            assertEquals(START, v.creationTime(), step + " changed creationTime");
        });
        assertEquals(List.of(), missed, "changes after which ModelVersion.lastUpdateTime was not the change's time");

        Instant before = registry.getVersion("iris", 1).lastUpdateTime();
        tick(kit);
        registry.transition("iris", 2, Stage.PRODUCTION);
        registry.setModelTag("iris", "k", "v");
        registry.updateDescription("iris", "model description");
        assertEquals(before, registry.getVersion("iris", 1).lastUpdateTime(),
                "changes to the model or to another version leave a version's lastUpdateTime alone");
    }
}
