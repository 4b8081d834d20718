package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.KitAssertions.assertThrowsWith;
import static dev.runlog.tracking.tck.KitAssertions.steps;
import static dev.runlog.tracking.tck.RegistryKitData.PROCESS_USER;
import static dev.runlog.tracking.tck.RegistryKitData.START;
import static dev.runlog.tracking.tck.RegistryKitData.actions;
import static dev.runlog.tracking.tck.RegistryKitData.cases;
import static dev.runlog.tracking.tck.RegistryKitData.describe;
import static dev.runlog.tracking.tck.RegistryKitData.event;
import static dev.runlog.tracking.tck.RegistryKitData.linear;
import static dev.runlog.tracking.tck.RegistryKitData.logModel;
import static dev.runlog.tracking.tck.RegistryKitData.names;
import static dev.runlog.tracking.tck.RegistryKitData.refs;
import static dev.runlog.tracking.tck.RegistryKitData.registerNew;
import static dev.runlog.tracking.tck.RegistryKitData.registerVersions;
import static dev.runlog.tracking.tck.RegistryKitData.tick;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.runlog.registry.ModelEvent.Action;
import dev.runlog.registry.ModelEvent;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.RegisteredModel;
import dev.runlog.registry.Stage;
import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.RunlogException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.provider.Arguments;

/** Registered models: unique, valid names; descriptions and tags; rename and delete. */
public interface RegistryModelsContract {

    @Test
    @DisplayName("createModel returns an empty model stamped with the clock; getModel reads it back")
    default void createAndGet(ModelRegistry registry, StoreHarness kit) {
        RegisteredModel created = registry.createModel("iris");
        assertEquals(new RegisteredModel("iris", "", START, START, Map.of(), Map.of()), created);
        tick(kit);
        assertEquals(created, registry.getModel("iris"));
        assertThrowsWith(NotFoundException.class, () -> registry.getModel("ghost"), "'ghost'");
    }

    @Test
    @DisplayName("createModel with a taken name fails with ConflictException, also when register created it")
    default void createTakenName(ModelRegistry registry, StoreHarness kit) {
        registry.createModel("iris");
        assertThrowsWith(ConflictException.class, () -> registry.createModel("iris"), "'iris'");
        registerNew(kit, "wine", 1);
        assertThrowsWith(ConflictException.class, () -> registry.createModel("wine"), "'wine'");
        assertEquals(1, registry.getVersion("wine", 1).version(), "the conflict left the existing model alone");
        assertEquals(List.of(Action.MODEL_CREATED), actions(registry.history("iris")),
                "a refused create records nothing");
    }

    @Test
    @DisplayName("once its tracker is closed, every registry call says so, instead of a storage failure or an answer")
    default void closedTracker(ModelRegistry registry, StoreHarness kit) throws Exception {
        registerNew(kit, "iris", 1);
        registry.setAlias("iris", "champion", 1);
        kit.tracker().close();
        List<Executable> calls = List.of(() -> registry.getModel("iris"), () -> registry.createModel("wine"),
                () -> registry.searchModels(null), () -> registry.getVersion("iris", 1), () -> registry.searchVersions(null),
                () -> registry.getByAlias("iris", "champion"), () -> registry.setAlias("iris", "best", 1),
                () -> registry.transition("iris", 1, Stage.STAGING), () -> registry.latest("iris", Stage.NONE),
                () -> registry.history("iris"), () -> registry.resolve("models:/iris/1"),
                () -> registry.load("models:/iris@champion", Object.class), () -> registry.deleteModel("iris"));
        for (Executable call : calls) {
            assertThrowsWith(RunlogException.class, call, "tracker", "closed");
        }
        assertThrowsWith(RunlogException.class, () -> ModelRegistry.of(kit.tracker()), "closed");
    }

    @Test
    @DisplayName("names differing only in case are different models")
    default void namesAreCaseSensitive(ModelRegistry registry) {
        registry.createModel("Iris");
        registry.createModel("iris");
        assertEquals(List.of("Iris", "iris"), names(registry.searchModels(null)));
    }

    @Test
    @DisplayName("updateDescription sets, replaces and clears the description and moves lastUpdateTime")
    default void description(ModelRegistry registry, StoreHarness kit) {
        registry.createModel("iris");
        Instant t1 = tick(kit);
        RegisteredModel described = registry.updateDescription("iris", "Classifies irises.\nSecond line: ü ✓");
        assertEquals("Classifies irises.\nSecond line: ü ✓", described.description());
        assertEquals(t1, described.lastUpdateTime());
        assertEquals(START, described.creationTime());
        assertEquals(described, registry.getModel("iris"));
        tick(kit);
        assertEquals("", registry.updateDescription("iris", "").description());
        assertEquals("", registry.getModel("iris").description());
        assertThrowsWith(NotFoundException.class, () -> registry.updateDescription("ghost", "x"), "'ghost'");
        assertThrowsWith(InvalidInputException.class, () -> registry.updateDescription("iris", "x".repeat(5_001)),
                "5001");
    }

    @Test
    @DisplayName("model tags are set, overwritten and deleted, and shown by getModel")
    default void tags(ModelRegistry registry) {
        registry.createModel("iris");
        registry.setModelTag("iris", "team", "vision");
        registry.setModelTag("iris", "owner", "ana");
        registry.setModelTag("iris", "team", "perception");
        assertEquals(Map.of("team", "perception", "owner", "ana"), registry.getModel("iris").tags());
        registry.deleteModelTag("iris", "owner");
        assertEquals(Map.of("team", "perception"), registry.getModel("iris").tags());
        assertThrowsWith(NotFoundException.class, () -> registry.setModelTag("ghost", "k", "v"), "'ghost'");
        assertThrowsWith(NotFoundException.class, () -> registry.deleteModelTag("ghost", "k"), "'ghost'");
        registry.deleteModelTag("iris", "never-set"); // no error, as the Javadoc says
        assertEquals(Map.of("team", "perception"), registry.getModel("iris").tags());
        assertThrows(InvalidInputException.class, () -> registry.setModelTag("iris", "", "v"));
        assertThrows(InvalidInputException.class, () -> registry.setModelTag("iris", "k", null));
    }

    @Test
    @DisplayName("lastUpdateTime of a model follows every change to it or to one of its versions")
    default void modelLastUpdateTime(ModelRegistry registry, StoreHarness kit) {
        registerVersions(kit, "iris", 2);
        // Each step runs one second after the previous one; the model must show its time.
        Map<String, Runnable> steps = new java.util.LinkedHashMap<>();
        steps.put("updateDescription(model)", () -> registry.updateDescription("iris", "d"));
        steps.put("setModelTag", () -> registry.setModelTag("iris", "k", "v"));
        steps.put("deleteModelTag", () -> registry.deleteModelTag("iris", "k"));
        steps.put("register", () -> registerNew(kit, "iris", 3));
        steps.put("transition", () -> registry.transition("iris", 1, Stage.STAGING));
        steps.put("updateDescription(version)", () -> registry.updateDescription("iris", 1, "d"));
        steps.put("setVersionTag", () -> registry.setVersionTag("iris", 1, "k", "v"));
        steps.put("deleteVersionTag", () -> registry.deleteVersionTag("iris", 1, "k"));
        steps.put("setAlias", () -> registry.setAlias("iris", "champion", 1));
        steps.put("deleteAlias", () -> registry.deleteAlias("iris", "champion"));
        steps.put("deleteVersion", () -> registry.deleteVersion("iris", 2));
        List<String> missed = new ArrayList<>();
        steps.forEach((step, action) -> {
            Instant at = tick(kit);
            action.run();
            RegisteredModel model = registry.getModel("iris");
            if (!model.lastUpdateTime().equals(at)) {
                missed.add(step + " left it at " + model.lastUpdateTime() + " instead of " + at);
            }
            assertEquals(START, model.creationTime(), step + " changed creationTime");
        });
        assertEquals(List.of(), missed, "steps after which RegisteredModel.lastUpdateTime was not the change's time");
    }

    @Test
    @DisplayName("renameModel moves versions, stages, aliases, tags and the audit trail to the new name")
    default void renameCascades(ModelRegistry registry, StoreHarness kit) {
        ModelVersion v1 = registerNew(kit, "old", 1);
        registerNew(kit, "old", 2);
        registry.transition("old", 2, Stage.PRODUCTION);
        registry.setAlias("old", "champion", 2);
        registry.setModelTag("old", "team", "vision");
        registry.setVersionTag("old", 1, "validated", "true");
        registry.updateDescription("old", "the description");
        int eventsBefore = registry.history("old").size();
        Instant renamedAt = tick(kit);

        RegisteredModel renamed = registry.renameModel("old", "new");
        assertEquals(new RegisteredModel("new", "the description", START, renamedAt, Map.of("team", "vision"),
                Map.of("champion", 2)), renamed);
        assertEquals(renamed, registry.getModel("new"));

        ModelVersion moved = registry.getVersion("new", 1);
        assertEquals("new", moved.name());
        assertEquals(v1.source(), moved.source());
        assertEquals(Map.of("validated", "true"), moved.tags());
        assertEquals(Stage.PRODUCTION, registry.getVersion("new", 2).stage());
        assertEquals(2, registry.getByAlias("new", "champion").version());
        assertEquals(List.of("champion"), registry.getVersion("new", 2).aliases());
        assertEquals(2, registry.resolve("models:/new/Production").version());
        assertEquals(List.of("new/2", "new/1"), refs(registry.searchVersions("name = 'new'")));

        List<ModelEvent> trail = registry.history("new");
        assertEquals(eventsBefore + 1, trail.size(), () -> "the whole trail follows the model: " + trail);
        assertTrue(trail.stream().allMatch(e -> e.model().equals("new")), () -> "every event is under the new name: " + trail);
        assertEquals(event(0, Action.MODEL_RENAMED, null, "old", "new", 1, PROCESS_USER, ""),
                describe(trail.get(trail.size() - 1)));

        assertThrowsWith(NotFoundException.class, () -> registry.getModel("old"), "'old'");
        assertThrowsWith(NotFoundException.class, () -> registry.getVersion("old", 1), "'old'");
        assertThrowsWith(NotFoundException.class, () -> registry.history("old"), "'old'");
        assertThrowsWith(NotFoundException.class, () -> registry.resolve("models:/old/1"), "'old'");
        assertEquals(List.of(), registry.searchVersions("name = 'old'"));
        assertEquals(3, registerNew(kit, "new", 3).version(), "numbering continues under the new name");
        assertEquals(1, registerNew(kit, "old", 4).version(), "the old name is free again, with its own numbering");
    }

    @Test
    @DisplayName("renameModel to a taken name fails with ConflictException and changes nothing; to its own name it records nothing")
    default void renameToTakenName(ModelRegistry registry, StoreHarness kit) {
        registerNew(kit, "a", 1);
        registerNew(kit, "b", 2);
        int trailOfA = registry.history("a").size();
        assertThrowsWith(ConflictException.class, () -> registry.renameModel("a", "b"), "'b'");
        assertEquals(1, registry.getVersion("a", 1).version());
        assertEquals(registry.getVersion("b", 1).source(), registry.resolve("models:/b/1").source());
        assertNotEquals(registry.getVersion("a", 1).source(), registry.getVersion("b", 1).source());
        assertEquals(trailOfA, registry.history("a").size(), "a refused rename records nothing");
        assertEquals(registry.getModel("a"), registry.renameModel("a", "a"));
        assertEquals(trailOfA, registry.history("a").size(), "a rename to the same name records nothing");
        assertThrowsWith(NotFoundException.class, () -> registry.renameModel("ghost", "ghost"), "'ghost'");
        assertThrowsWith(NotFoundException.class, () -> registry.renameModel("ghost", "c"), "'ghost'");
        assertThrows(InvalidInputException.class, () -> registry.renameModel("a", "has/slash"));
    }

    @Test
    @DisplayName("renameModel to the name of a deleted model fails with ConflictException: the two trails stay apart")
    default void renameToTheNameOfADeletedModel(ModelRegistry registry, StoreHarness kit) {
        registerNew(kit, "a", 1);
        registerNew(kit, "b", 2);
        registry.deleteModel("b");
        List<dev.runlog.registry.ModelEvent> trailOfB = registry.history("b");
        assertThrowsWith(ConflictException.class, () -> registry.renameModel("a", "b"), "keeps its audit trail");
        assertEquals(trailOfB, registry.history("b"), "the deleted model's trail, as it was");
        RegisteredModel renamed = registry.renameModel("a", "c");
        assertEquals("c", renamed.name());
        assertEquals(dev.runlog.registry.ModelEvent.Action.MODEL_CREATED, registry.history("c").get(0).action());
        assertEquals(dev.runlog.registry.ModelEvent.Action.MODEL_RENAMED, registry.history("c").get(registry.history("c").size() - 1).action());
        assertEquals(trailOfB, registry.history("b"));
    }

    @Test
    @DisplayName("deleteModel removes versions and aliases, keeps the trail ending with MODEL_DELETED; "
            + "a new model of that name starts again at version 1")
    default void deleteModel(ModelRegistry registry, StoreHarness kit) {
        ModelVersion first = registerNew(kit, "iris", 1);
        registerNew(kit, "iris", 2);
        registry.setAlias("iris", "champion", 1);
        registry.setModelTag("iris", "team", "vision");
        registry.transition("iris", 2, Stage.PRODUCTION);
        int trailBefore = registry.history("iris").size();
        tick(kit);

        registry.deleteModel("iris");
        assertThrowsWith(NotFoundException.class, () -> registry.getModel("iris"), "'iris'");
        assertThrowsWith(NotFoundException.class, () -> registry.getVersion("iris", 1), "'iris'");
        assertThrowsWith(NotFoundException.class, () -> registry.getByAlias("iris", "champion"), "'iris'");
        assertThrowsWith(NotFoundException.class, () -> registry.resolve("models:/iris/Production"), "'iris'");
        assertEquals(List.of(), registry.searchVersions(null));
        assertEquals(List.of(), registry.searchModels(null));
        assertThrowsWith(NotFoundException.class, () -> registry.latest("iris", Stage.PRODUCTION), "'iris'");

        List<ModelEvent> trail = registry.history("iris");
        assertEquals(trailBefore + 1, trail.size(), () -> "the trail is kept: " + trail);
        assertEquals(event(0, Action.MODEL_DELETED, null, null, null, 1, PROCESS_USER, ""),
                describe(trail.get(trail.size() - 1)));
        assertThrowsWith(NotFoundException.class, () -> registry.deleteModel("iris"), "'iris'");

        tick(kit);
        ModelVersion again = registerNew(kit, "iris", 3);
        assertEquals(1, again.version(), "a new model of the name starts at version 1");
        assertNotEquals(first.source(), again.source());
        RegisteredModel recreated = registry.getModel("iris");
        assertEquals(Map.of(), recreated.tags());
        assertEquals(Map.of(), recreated.aliases());
        assertEquals(START.plusSeconds(2), recreated.creationTime());
        assertEquals(Stage.NONE, registry.getVersion("iris", 1).stage());
    }

    @Test
    @DisplayName("a rename takes only the live model's trail, not that of a deleted model which had the name before")
    default void renameLeavesDeletedTrail(ModelRegistry registry, StoreHarness kit) {
        registerNew(kit, "a", 1);
        tick(kit);
        registry.deleteModel("a");
        List<ModelEvent> deletedTrail = registry.history("a");
        tick(kit);
        registerNew(kit, "a", 2);
        registry.renameModel("a", "b");
        assertEquals(List.of(Action.MODEL_CREATED, Action.VERSION_REGISTERED, Action.MODEL_RENAMED),
                actions(registry.history("b")),
                "b was created once and never deleted; its trail must not claim otherwise");
        assertEquals(deletedTrail, registry.history("a"), "the deleted model's trail is kept under its name");
    }

    @TestFactory
    @DisplayName("an invalid model name fails with InvalidInputException naming the problem, wherever it is given")
    default Stream<DynamicTest> invalidName(ModelRegistry registry, StoreHarness kit) {
        String uri = logModel(kit, linear(1));
        registerNew(kit, "valid", 1);
        return cases(invalidNames(), (String name, String problem) -> "\"" + name.replace("\t", "\\t")
                .replace("\n", "\\n").replace("\u0007", "\\u0007") + "\" (" + problem + ")", (name, problem) -> {
            assertThrowsWith(InvalidInputException.class, () -> registry.createModel(name), problem);
            assertThrowsWith(InvalidInputException.class, () -> registry.register(name, uri), problem);
            assertThrowsWith(InvalidInputException.class, () -> registry.renameModel("valid", name), problem);
            assertThrowsWith(InvalidInputException.class, () -> registry.getModel(name), problem);
            assertEquals(List.of("valid"), names(registry.searchModels(null)), "nothing was created");
        });
    }

    @Test
    @DisplayName("a model name of 250 characters with spaces, dots and Unicode inside is valid")
    default void longestValidName(ModelRegistry registry, StoreHarness kit) {
        String name = "résumé scorer v2.1 " + "x".repeat(231);
        assertEquals(250, name.length());
        assertEquals(name, registry.createModel(name).name());
        assertEquals(1, registerNew(kit, name, 1).version());
        assertEquals(1, registry.resolve("models:/" + name + "/1").version());
    }

    static Stream<Arguments> invalidNames() {
        return Stream.of(
                arguments("a/b", "'/'"),
                arguments("a@b", "'@'"),
                arguments("", "blank"),
                arguments("   ", "blank"),
                arguments("x".repeat(251), "251"),
                arguments("tab\there", "control character"),
                arguments("line\nbreak", "control character"),
                arguments("bell\u0007", "control character"),
                arguments(" leading", "whitespace"),
                arguments("trailing ", "whitespace"),
                arguments("no-break\u00A0", "whitespace"),
                arguments("\u2007figure", "whitespace"),
                arguments("zero\u200Bwidth", "U+200B"),
                arguments("iris\u202Egnp.exe", "U+202E"),
                arguments(".", "reserved"),
                arguments("..", "reserved"));
    }
}
