package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.KitAssertions.assertThrowsWith;
import static dev.runlog.tracking.tck.RegistryKitData.inStage;
import static dev.runlog.tracking.tck.RegistryKitData.names;
import static dev.runlog.tracking.tck.RegistryKitData.registerNew;
import static dev.runlog.tracking.tck.RegistryKitData.registerVersions;
import static dev.runlog.tracking.tck.RegistryKitData.tick;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.Stage;
import dev.runlog.registry.TransitionOptions;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.NotFoundException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Stages: transitions, archiving the previous holders, the latest version of a stage. */
public interface RegistryStagesContract {

    @Test
    @DisplayName("transition moves a version between stages and returns it in its new stage")
    default void transition(ModelRegistry registry, StoreHarness kit) {
        registerNew(kit, "iris", 1);
        Instant at = tick(kit);
        ModelVersion staged = registry.transition("iris", 1, Stage.STAGING);
        assertEquals(Stage.STAGING, staged.stage());
        assertEquals(at, staged.lastUpdateTime());
        assertEquals(staged, registry.getVersion("iris", 1));
        for (Stage stage : List.of(Stage.PRODUCTION, Stage.ARCHIVED, Stage.NONE, Stage.PRODUCTION)) {
            assertEquals(stage, registry.transition("iris", 1, stage).stage());
            assertEquals(stage, registry.getVersion("iris", 1).stage());
        }
        assertEquals(Stage.PRODUCTION, registry.transition("iris", 1, Stage.PRODUCTION).stage(),
                "a transition to the current stage is allowed");
    }

    @Test
    @DisplayName("transition of a missing version or model fails with NotFoundException; a null stage with InvalidInputException")
    default void transitionErrors(ModelRegistry registry, StoreHarness kit) {
        registerNew(kit, "iris", 1);
        assertThrowsWith(NotFoundException.class, () -> registry.transition("iris", 2, Stage.STAGING), "version 2");
        assertThrowsWith(NotFoundException.class, () -> registry.transition("ghost", 1, Stage.STAGING), "'ghost'");
        assertThrows(InvalidInputException.class, () -> registry.transition("iris", 1, null));
        assertThrows(InvalidInputException.class, () -> registry.transition("iris", 1, Stage.STAGING, null));
        assertEquals(Stage.NONE, registry.getVersion("iris", 1).stage());
    }

    @Test
    @DisplayName("without archiveExisting several versions may share a stage")
    default void defaultDoesNotArchive(ModelRegistry registry, StoreHarness kit) {
        registerVersions(kit, "iris", 2);
        registry.transition("iris", 1, Stage.PRODUCTION);
        registry.transition("iris", 2, Stage.PRODUCTION, TransitionOptions.defaults().comment("both"));
        assertEquals(List.of(1, 2), inStage(kit, "iris", Stage.PRODUCTION));
    }

    @ParameterizedTest
    @EnumSource(value = Stage.class, names = {"STAGING", "PRODUCTION"})
    @DisplayName("archiveExisting moves every other holder of the target stage to Archived in the same call")
    default void archiveExisting(Stage target, ModelRegistry registry, StoreHarness kit) {
        Stage other = target == Stage.PRODUCTION ? Stage.STAGING : Stage.PRODUCTION;
        for (int i = 1; i <= 5; i++) {
            registerNew(kit, "iris", i);
        }
        registry.transition("iris", 1, target);
        registry.transition("iris", 2, other);
        registry.transition("iris", 3, target);
        registerNew(kit, "wine", 9);
        registry.transition("wine", 1, target);
        Instant at = tick(kit);

        ModelVersion promoted = registry.transition("iris", 4, target, TransitionOptions.archiveExisting());
        assertEquals(target, promoted.stage());
        assertEquals(List.of(4), inStage(kit, "iris", target));
        assertEquals(List.of(1, 3), inStage(kit, "iris", Stage.ARCHIVED));
        assertEquals(List.of(2), inStage(kit, "iris", other), "versions in another stage stay");
        assertEquals(List.of(5), inStage(kit, "iris", Stage.NONE));
        assertEquals(target, registry.getVersion("wine", 1).stage(), "other models are not touched");
        assertEquals(at, registry.getVersion("iris", 1).lastUpdateTime(), "archived in the same instant");
        assertEquals(at, registry.getVersion("iris", 3).lastUpdateTime());
    }

    @ParameterizedTest
    @EnumSource(value = Stage.class, names = {"NONE", "ARCHIVED"})
    @DisplayName("archiveExisting with a target of None or Archived is refused, as MLflow refuses it, and nothing moves")
    default void archiveExistingRefusedForNoneAndArchived(Stage target, ModelRegistry registry, StoreHarness kit) {
        registerVersions(kit, "iris", 3);
        registry.transition("iris", 1, Stage.ARCHIVED);
        registry.transition("iris", 3, Stage.PRODUCTION);
        int trail = registry.history("iris").size();
        assertThrowsWith(InvalidInputException.class,
                () -> registry.transition("iris", 3, target, TransitionOptions.archiveExisting()), "not an active stage");
        assertEquals(Stage.PRODUCTION, registry.getVersion("iris", 3).stage());
        assertEquals(trail, registry.history("iris").size(), "no event");
        // Without it (or with archiveExisting(false)) the transition is made, and only the moved version has an event.
        registry.transition("iris", 3, target, TransitionOptions.defaults().archiveExisting(false));
        assertEquals(target, registry.getVersion("iris", 3).stage());
        assertEquals(Stage.ARCHIVED, registry.getVersion("iris", 1).stage());
        assertEquals(Stage.NONE, registry.getVersion("iris", 2).stage());
        assertEquals(trail + 1, registry.history("iris").size());
    }

    @Test
    @DisplayName("latest(name, stage) is the highest version in that stage, empty when the stage is empty, NotFound without the model")
    default void latest(ModelRegistry registry, StoreHarness kit) {
        for (int i = 1; i <= 4; i++) {
            registerNew(kit, "iris", i);
        }
        assertEquals(Optional.empty(), registry.latest("iris", Stage.PRODUCTION));
        assertEquals(4, registry.latest("iris", Stage.NONE).orElseThrow().version());
        registry.transition("iris", 3, Stage.PRODUCTION);
        registry.transition("iris", 1, Stage.PRODUCTION);
        registry.transition("iris", 2, Stage.STAGING);
        assertEquals(registry.getVersion("iris", 3), registry.latest("iris", Stage.PRODUCTION).orElseThrow());
        assertEquals(2, registry.latest("iris", Stage.STAGING).orElseThrow().version());
        assertEquals(Optional.empty(), registry.latest("iris", Stage.ARCHIVED));
        registry.transition("iris", 3, Stage.ARCHIVED);
        assertEquals(1, registry.latest("iris", Stage.PRODUCTION).orElseThrow().version());
        registry.deleteVersion("iris", 1);
        assertEquals(Optional.empty(), registry.latest("iris", Stage.PRODUCTION));
        assertEquals(4, registry.latest("iris", Stage.NONE).orElseThrow().version());
        assertThrows(InvalidInputException.class, () -> registry.latest("iris", null));
        assertThrowsWith(NotFoundException.class, () -> registry.latest("ghost", Stage.PRODUCTION), "'ghost'");
    }
}
