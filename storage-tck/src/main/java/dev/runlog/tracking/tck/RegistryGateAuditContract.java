package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.RegistryKitData.registerNew;
import static dev.runlog.tracking.tck.RegistryKitData.registerScores;
import static dev.runlog.tracking.tck.RegistryKitData.tick;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.registry.Gate;
import dev.runlog.registry.GateResult;
import dev.runlog.registry.Gates;
import dev.runlog.registry.ModelEvent;
import dev.runlog.registry.ModelEvent.Action;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.PromotionRejectedException;
import dev.runlog.registry.Stage;
import dev.runlog.registry.TransitionOptions;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Which gates a promotion passed, in the audit trail: the STAGE_CHANGED event of the promoted
 * version carries every gate's result in order; no other event carries any.
 */
public interface RegistryGateAuditContract {

    /** The trail's STAGE_CHANGED events of {@code version}, oldest first. */
    private static List<ModelEvent> stageChanges(ModelRegistry registry, String name, int version) {
        return registry.history(name, version).stream().filter(e -> e.action() == Action.STAGE_CHANGED).toList();
    }

    @Test
    @DisplayName("a promotion records each gate's result in order on its event; the archived incumbent's event has none")
    default void promotionRecordsItsGates(ModelRegistry registry, StoreHarness kit) {
        registerScores(kit, "m", "accuracy", 0.91, 0.95);
        List<Gate> gates = List.of(Gates.metricAtLeast("accuracy", 0.9), Gates.beatsCurrent("accuracy"));
        tick(kit);
        registry.promote("m", 1, Stage.PRODUCTION, gates.toArray(Gate[]::new));
        tick(kit);
        registry.promote("m", 2, Stage.PRODUCTION, TransitionOptions.archiveExisting().user("ci").comment("nightly"),
                gates.toArray(Gate[]::new));

        assertEquals(List.of(
                new GateResult("metrics.accuracy >= 0.9", true, "0.91", ">= 0.9"),
                new GateResult("metrics.accuracy beats the current production version", true, "no version in Production",
                        "")), stageChanges(registry, "m", 1).get(0).gates());
        ModelEvent promoted = stageChanges(registry, "m", 2).get(0);
        assertEquals(List.of(
                new GateResult("metrics.accuracy >= 0.9", true, "0.95", ">= 0.9"),
                new GateResult("metrics.accuracy beats the current production version", true, "0.95",
                        "> 0.91 (version 1)")), promoted.gates());
        assertEquals("ci", promoted.user());
        ModelEvent archived = stageChanges(registry, "m", 1).get(1);
        assertEquals("Archived", archived.to());
        assertEquals(List.of(), archived.gates(), "the archived version passed no gate: " + archived);
        assertTrue(registry.history("m").stream().filter(e -> e.action() != Action.STAGE_CHANGED)
                .allMatch(e -> e.gates().isEmpty()), "only promotions record gates");
        assertTrue(promoted.toString().contains("metrics.accuracy >= 0.9: passed (0.95)"), promoted.toString());
    }

    @Test
    @DisplayName("a plain transition, archiving or not, and a promotion without gates record none")
    default void transitionRecordsNone(ModelRegistry registry, StoreHarness kit) {
        registerNew(kit, "m", 1);
        registerNew(kit, "m", 2);
        registry.transition("m", 1, Stage.STAGING);
        registry.transition("m", 2, Stage.STAGING, TransitionOptions.archiveExisting());
        registry.promote("m", 1, Stage.PRODUCTION);
        List<ModelEvent> changes = registry.history("m").stream().filter(e -> e.action() == Action.STAGE_CHANGED)
                .toList();
        assertEquals(4, changes.size(), changes.toString());
        assertTrue(changes.stream().allMatch(e -> e.gates().isEmpty()), changes.toString());
    }

    @Test
    @DisplayName("a rejected promotion adds nothing to the trail")
    default void rejectionRecordsNothing(ModelRegistry registry, StoreHarness kit) {
        registerScores(kit, "m", "accuracy", 0.8);
        List<ModelEvent> before = registry.history("m");
        tick(kit);
        assertThrows(PromotionRejectedException.class, () -> registry.promote("m", 1, Stage.PRODUCTION,
                Gates.check("always passes", c -> true), Gates.metricAtLeast("accuracy", 0.9)));
        assertEquals(before, registry.history("m"));
    }

    @Test
    @DisplayName("gate texts come back exactly: quotes, backslashes, line breaks, non-ASCII, empty values")
    default void gateTextsRoundTrip(ModelRegistry registry, StoreHarness kit) {
        registerNew(kit, "m", 1);
        List<GateResult> odd = List.of(
                new GateResult("tags.\"q\" = 'a\\b'\nnext line", true, "état ≥ 1 \uD83D\uDE80", "{\"json\": [1]}"),
                GateResult.pass("plain"));
        registry.promote("m", 1, Stage.STAGING, c -> odd.get(0), c -> odd.get(1));
        assertEquals(odd, stageChanges(registry, "m", 1).get(0).gates());
    }
}
