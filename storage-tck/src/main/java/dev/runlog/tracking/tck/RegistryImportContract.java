package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.KitAssertions.assertThrowsWith;
import static dev.runlog.tracking.tck.RegistryKitData.START;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runlog.registry.GateResult;
import dev.runlog.registry.ModelEvent;
import dev.runlog.registry.ModelEvent.Action;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.RegisteredModel;
import dev.runlog.registry.Stage;
import dev.runlog.registry.spi.Change;
import dev.runlog.registry.spi.ModelSnapshot;
import dev.runlog.registry.spi.RegistryStore;
import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.InvalidInputException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Rule: a model that already exists elsewhere is stored as it is: version numbers, stages, aliases, its trail. */
public interface RegistryImportContract {

    /** Imports are optional: a registry store that keeps the SPI's default (which refuses) skips this group. */
    @org.junit.jupiter.api.BeforeEach
    default void onlyForStoresThatImport(StoreHarness kit) {
        KitAssertions.assumeImplemented(RegistryStore.of(kit.tracker()), RegistryStore.class, "importModel",
                ModelSnapshot.class);
    }
    String RUN = "cccccccccccccccccccccccccccccccc";
    String DIGEST = "d".repeat(64);

    private static Instant at(int second) {
        return START.plusSeconds(second);
    }

    private static ModelVersion version(String model, int number, Stage stage, List<String> aliases) {
        return new ModelVersion(model, number, "runs:/" + RUN + "/model", RUN, ModelVersion.Status.READY, stage,
                "v" + number, "alice", at(number), at(10 + number), Map.of("k", "v" + number), aliases,
                number == 2 ? Optional.empty() : Optional.of(DIGEST));
    }

    private static ModelEvent event(String model, long sequence, int version, Action action, String from, String to,
                                    List<GateResult> gates) {
        return new ModelEvent(sequence, model, version, action, null, from, to, at((int) sequence), "bob", "c" + sequence, gates);
    }

    /** Versions 2 and 5 left of 1..5, 5 in Production by a gated promotion, 2 archived, alias champion on 5. */
    private static ModelSnapshot snapshot(String model, long firstSequence) {
        long s = firstSequence;
        return new ModelSnapshot(
                new RegisteredModel(model, "about " + model, at(0), at(20), Map.of("team", "ml"), Map.of("champion", 5)),
                List.of(version(model, 2, Stage.ARCHIVED, List.of()), version(model, 5, Stage.PRODUCTION, List.of("champion"))),
                List.of(event(model, s, 0, Action.MODEL_CREATED, null, null, List.of()),
                        event(model, s + 2, 5, Action.VERSION_REGISTERED, null, "runs:/" + RUN + "/model", List.of()),
                        event(model, s + 3, 5, Action.STAGE_CHANGED, "None", "Production",
                                List.of(new GateResult("metrics.acc >= 0.9", true, "0.93", ">= 0.9"))),
                        event(model, s + 7, 2, Action.STAGE_CHANGED, "Production", "Archived", List.of())));
    }

    @Test
    @DisplayName("an imported model keeps its versions' numbers, stages, digests, times, tags, aliases and its trail with gates and sequences")
    default void keepsIdentity(ModelRegistry registry, StoreHarness kit) {
        RegistryStore store = RegistryStore.of(kit.tracker());
        ModelSnapshot given = snapshot("imported", 3);
        store.importModel(given);
        assertEquals(given.model(), store.getModel("imported").orElseThrow());
        assertEquals(given.versions(), store.listVersions(Optional.of("imported")));
        assertEquals(given.events(), store.history("imported"));
        assertEquals(given.versions().get(1), registry.getByAlias("imported", "champion"));
        ModelVersion next = store.createVersion("imported", "runs:/" + RUN + "/model", RUN, DIGEST, new Change(at(30), "eve", ""));
        assertEquals(6, next.version(), "numbers continue after the highest the snapshot shows");
        List<ModelEvent> trail = store.history("imported");
        assertEquals(true, trail.get(trail.size() - 1).sequence() > 10, trail::toString);
    }

    @Test
    @DisplayName("a taken name is ConflictException naming it, the model unchanged; a taken sequence renumbers the trail after the highest, in order")
    default void conflicts(ModelRegistry registry, StoreHarness kit) {
        RegistryStore store = RegistryStore.of(kit.tracker());
        store.importModel(snapshot("a", 1));
        assertThrowsWith(ConflictException.class, () -> store.importModel(snapshot("a", 100)), "'a'");
        assertEquals(snapshot("a", 1).events(), store.history("a"));
        store.importModel(snapshot("b", 1));
        List<ModelEvent> renumbered = store.history("b");
        assertEquals(snapshot("b", 1).events().stream().map(e -> e.action() + " " + e.time() + " " + e.gates()).toList(),
                renumbered.stream().map(e -> e.action() + " " + e.time() + " " + e.gates()).toList());
        assertEquals(List.of(9L, 10L, 11L, 12L), renumbered.stream().map(ModelEvent::sequence).toList());
    }

    @Test
    @DisplayName("version numbers below 1 or given twice, aliases to missing versions and events out of order are InvalidInputException")
    default void hostileInput(ModelRegistry registry, StoreHarness kit) {
        assertThrowsWith(InvalidInputException.class, () -> version("m", 0, Stage.NONE, List.of()), "0");
        RegisteredModel m = new RegisteredModel("m", "", at(0), at(0), Map.of(), Map.of());
        assertThrowsWith(InvalidInputException.class, () -> new ModelSnapshot(m,
                List.of(version("m", 1, Stage.NONE, List.of()), version("m", 1, Stage.NONE, List.of())), List.of()), "twice");
        assertThrowsWith(InvalidInputException.class, () -> new ModelSnapshot(
                new RegisteredModel("m", "", at(0), at(0), Map.of(), Map.of("x", 4)), List.of(), List.of()), "'x'", "4");
        assertThrowsWith(InvalidInputException.class, () -> new ModelSnapshot(m, List.of(), List.of(
                event("m", 5, 0, Action.MODEL_CREATED, null, null, List.of()),
                event("m", 4, 0, Action.MODEL_RENAMED, "n", "m", List.of()))), "increase");
        assertThrowsWith(InvalidInputException.class, () -> new ModelSnapshot(m, List.of(), List.of(
                event("other", 1, 0, Action.MODEL_CREATED, null, null, List.of()))), "other");
        assertEquals(List.of(), RegistryStore.of(kit.tracker()).listModels());
    }
}
