package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.KitAssertions.assertThrowsWith;
import static dev.runlog.tracking.tck.KitData.UNKNOWN_RUN_ID;
import static dev.runlog.tracking.tck.RegistryKitData.PROCESS_USER;
import static dev.runlog.tracking.tck.RegistryKitData.START;
import static dev.runlog.tracking.tck.RegistryKitData.actions;
import static dev.runlog.tracking.tck.RegistryKitData.describe;
import static dev.runlog.tracking.tck.RegistryKitData.event;
import static dev.runlog.tracking.tck.RegistryKitData.registerNew;
import static dev.runlog.tracking.tck.RegistryKitData.registerVersions;
import static dev.runlog.tracking.tck.RegistryKitData.tick;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.registry.ModelEvent.Action;
import dev.runlog.registry.ModelEvent;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.Stage;
import dev.runlog.registry.TransitionOptions;
import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.NotFoundException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The audit trail: every change, with when, by whom and why, in order. */
public interface RegistryHistoryContract {

    @Test
    @DisplayName("registrations, transitions (with what they archived), alias moves, deletes and renames are all recorded")
    default void fullTrail(ModelRegistry registry, StoreHarness kit) {
        String u = PROCESS_USER;
        ModelVersion v1 = registerNew(kit, "m", 1);                                               // +0
        tick(kit);
        ModelVersion v2 = registerNew(kit, "m", 2);                                               // +1
        tick(kit);
        registry.transition("m", 1, Stage.PRODUCTION);                                       // +2
        tick(kit);
        registry.transition("m", 2, Stage.PRODUCTION,
                TransitionOptions.archiveExisting().user("ci").comment("why"));              // +3
        tick(kit);
        registry.setAlias("m", "champion", 2);                                               // +4
        tick(kit);
        registry.setAlias("m", "champion", 1);                                               // +5
        tick(kit);
        registry.deleteAlias("m", "champion");                                               // +6
        tick(kit);
        registry.deleteVersion("m", 1);                                                      // +7
        tick(kit);
        registry.renameModel("m", "m2");                                                     // +8

        List<ModelEvent> trail = registry.history("m2");
        assertEquals(List.of(
                event(0, Action.MODEL_CREATED, null, null, null, 0, u, ""),
                event(1, Action.VERSION_REGISTERED, null, null, v1.source(), 0, u, ""),
                event(2, Action.VERSION_REGISTERED, null, null, v2.source(), 1, u, ""),
                event(1, Action.STAGE_CHANGED, null, "None", "Production", 2, u, ""),
                event(2, Action.STAGE_CHANGED, null, "None", "Production", 3, "ci", "why"),
                event(1, Action.STAGE_CHANGED, null, "Production", "Archived", 3, "ci",
                        "archived: version 2 took the stage (why)"),
                event(2, Action.ALIAS_SET, "champion", null, "2", 4, u, ""),
                event(1, Action.ALIAS_SET, "champion", "2", "1", 5, u, ""),
                event(1, Action.ALIAS_DELETED, "champion", "1", null, 6, u, ""),
                event(1, Action.VERSION_DELETED, null, "Archived", null, 7, u, ""),
                event(0, Action.MODEL_RENAMED, null, "m", "m2", 8, u, "")), describe(trail));
        assertTrue(trail.stream().allMatch(e -> e.model().equals("m2")));
        assertEquals(Optional.of("champion"), trail.get(6).aliasName());
        assertEquals(Optional.empty(), trail.get(3).aliasName());
    }

    @Test
    @DisplayName("sequence numbers increase along the trail, also for changes made in the same instant")
    default void sequenceOrdersSameInstant(ModelRegistry registry, StoreHarness kit) {
        registerVersions(kit, "m", 2);
        registry.transition("m", 2, Stage.STAGING);
        registry.transition("m", 1, Stage.STAGING, TransitionOptions.archiveExisting());
        registry.setAlias("m", "a", 1);
        registerNew(kit, "other", 3);
        registry.setAlias("m", "b", 2);
        List<ModelEvent> trail = registry.history("m");
        assertEquals(List.of(Action.MODEL_CREATED, Action.VERSION_REGISTERED, Action.VERSION_REGISTERED,
                Action.STAGE_CHANGED, Action.STAGE_CHANGED, Action.STAGE_CHANGED, Action.ALIAS_SET,
                Action.ALIAS_SET), actions(trail));
        for (int i = 1; i < trail.size(); i++) {
            assertTrue(trail.get(i).sequence() > trail.get(i - 1).sequence(), "sequence increases: " + trail);
        }
        assertTrue(trail.stream().allMatch(e -> e.time().equals(START)));
        List<ModelEvent> other = registry.history("other");
        assertTrue(other.get(0).sequence() > trail.get(6).sequence() && other.get(0).sequence() < trail.get(7).sequence(),
                "sequence is store-wide, so it also orders events of different models");
    }

    @Test
    @DisplayName("history(name, version) keeps that version's events, in order")
    default void perVersion(ModelRegistry registry, StoreHarness kit) {
        registerVersions(kit, "m", 2);
        tick(kit);
        registry.transition("m", 1, Stage.PRODUCTION);
        tick(kit);
        registry.transition("m", 2, Stage.PRODUCTION, TransitionOptions.archiveExisting().comment("better"));
        tick(kit);
        registry.setAlias("m", "champion", 2);
        String u = PROCESS_USER;
        assertEquals(List.of(
                event(1, Action.VERSION_REGISTERED, null, null, registry.getVersion("m", 1).source(), 0, u, ""),
                event(1, Action.STAGE_CHANGED, null, "None", "Production", 1, u, ""),
                event(1, Action.STAGE_CHANGED, null, "Production", "Archived", 2, u,
                        "archived: version 2 took the stage (better)")), describe(registry.history("m", 1)));
        assertEquals(List.of(Action.VERSION_REGISTERED, Action.STAGE_CHANGED, Action.ALIAS_SET),
                actions(registry.history("m", 2)));
        assertEquals(List.of(), registry.history("m", 3), "a version never registered has no events");
        assertThrowsWith(NotFoundException.class, () -> registry.history("ghost", 1), "'ghost'");
    }

    @Test
    @DisplayName("the acting user and comment of TransitionOptions are recorded; the process user otherwise")
    default void userAndComment(ModelRegistry registry, StoreHarness kit) {
        registerNew(kit, "m", 1);
        registry.transition("m", 1, Stage.STAGING, TransitionOptions.defaults().user("ci"));
        registry.transition("m", 1, Stage.PRODUCTION, TransitionOptions.defaults().comment("passed QA"));
        registry.transition("m", 1, Stage.ARCHIVED, TransitionOptions.defaults().user("ana").comment("retired"));
        List<ModelEvent> moves = registry.history("m", 1).stream()
                .filter(e -> e.action() == Action.STAGE_CHANGED).toList();
        assertEquals(List.of("ci|", PROCESS_USER + "|passed QA", "ana|retired"),
                moves.stream().map(e -> e.user() + "|" + e.comment()).toList());
    }

    @Test
    @DisplayName("failed changes record nothing")
    default void failuresRecordNothing(ModelRegistry registry, StoreHarness kit) {
        registerNew(kit, "m", 1);
        registry.setAlias("m", "champion", 1);
        int length = registry.history("m").size();
        assertThrows(NotFoundException.class, () -> registry.transition("m", 2, Stage.STAGING));
        assertThrows(NotFoundException.class, () -> registry.setAlias("m", "champion", 2));
        assertThrows(NotFoundException.class, () -> registry.deleteAlias("m", "other"));
        assertThrows(NotFoundException.class, () -> registry.deleteVersion("m", 2));
        assertThrows(InvalidInputException.class, () -> registry.setAlias("m", "latest", 1));
        assertThrows(ConflictException.class, () -> registry.createModel("m"));
        assertThrows(NotFoundException.class, () -> registry.register("m", "runs:/" + UNKNOWN_RUN_ID + "/model"));
        assertEquals(length, registry.history("m").size());
    }

    @Test
    @DisplayName("history of a model that never existed fails with NotFoundException")
    default void unknownModel(ModelRegistry registry) {
        assertThrowsWith(NotFoundException.class, () -> registry.history("ghost"), "'ghost'");
        assertThrows(InvalidInputException.class, () -> registry.history("bad/name"));
    }
}
