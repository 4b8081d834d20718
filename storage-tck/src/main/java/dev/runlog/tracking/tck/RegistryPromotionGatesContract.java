package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.KitAssertions.assertMessageContains;
import static dev.runlog.tracking.tck.KitAssertions.assertThrowsWith;
import static dev.runlog.tracking.tck.RegistryKitData.EXPERIMENT;
import static dev.runlog.tracking.tck.RegistryKitData.describe;
import static dev.runlog.tracking.tck.RegistryKitData.event;
import static dev.runlog.tracking.tck.RegistryKitData.inStage;
import static dev.runlog.tracking.tck.RegistryKitData.linear;
import static dev.runlog.tracking.tck.RegistryKitData.logModel;
import static dev.runlog.tracking.tck.RegistryKitData.names;
import static dev.runlog.tracking.tck.RegistryKitData.recording;
import static dev.runlog.tracking.tck.RegistryKitData.registerNew;
import static dev.runlog.tracking.tck.RegistryKitData.registerVersions;
import static dev.runlog.tracking.tck.RegistryKitData.registerScores;
import static dev.runlog.tracking.tck.RegistryKitData.registerWith;
import static dev.runlog.tracking.tck.RegistryKitData.tick;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.runlog.registry.Gate;
import dev.runlog.registry.GateResult;
import dev.runlog.registry.Gates;
import dev.runlog.registry.ModelEvent.Action;
import dev.runlog.registry.ModelEvent;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.Objective;
import dev.runlog.registry.PromotionCandidate;
import dev.runlog.registry.PromotionRejectedException;
import dev.runlog.registry.RegisteredModel;
import dev.runlog.registry.Stage;
import dev.runlog.registry.TransitionOptions;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.ModelFlavor;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.Tracker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Promotion gates: every failure listed with what was compared; nothing changes when rejected. */
public interface RegistryPromotionGatesContract {

    @Test
    @DisplayName("metricAtLeast passes at or above the bound and fails below it or without the metric")
    default void metricAtLeast(ModelRegistry registry, StoreHarness kit) {
        registerScores(kit, "m", "accuracy", 0.93, 0.9, 0.85);
        registerScores(kit, "m", "loss", 0.1);
        Gate gate = Gates.metricAtLeast("accuracy", 0.9);
        List<GateResult> results = new ArrayList<>();
        assertEquals(Stage.STAGING, registry.promote("m", 1, Stage.STAGING, recording(gate, results)).stage());
        registry.promote("m", 2, Stage.STAGING, recording(gate, results));
        assertEquals(List.of(
                new GateResult("metrics.accuracy >= 0.9", true, "0.93", ">= 0.9"),
                new GateResult("metrics.accuracy >= 0.9", true, "0.9", ">= 0.9")), results);

        PromotionRejectedException below = assertThrows(PromotionRejectedException.class,
                () -> registry.promote("m", 3, Stage.STAGING, gate));
        assertEquals(List.of(GateResult.fail("metrics.accuracy >= 0.9", "0.85", ">= 0.9")), below.failures());
        assertMessageContains(below, "m", "version 3", "Staging", "metrics.accuracy >= 0.9", "actual 0.85",
                "required >= 0.9");
        assertEquals("m", below.model());
        assertEquals(3, below.version());
        assertEquals(Stage.STAGING, below.target());

        PromotionRejectedException missing = assertThrows(PromotionRejectedException.class,
                () -> registry.promote("m", 4, Stage.PRODUCTION, gate));
        assertEquals(List.of(GateResult.fail("metrics.accuracy >= 0.9", "no such metric", ">= 0.9")),
                missing.failures());
        assertMessageContains(missing, "no such metric");
    }

    @Test
    @DisplayName("metricAtMost passes at or below the bound and fails above it")
    default void metricAtMost(ModelRegistry registry, StoreHarness kit) {
        registerScores(kit, "m", "loss", 0.25, 0.5);
        Gate gate = Gates.metricAtMost("loss", 0.3);
        List<GateResult> results = new ArrayList<>();
        registry.promote("m", 1, Stage.PRODUCTION, recording(gate, results));
        assertEquals(List.of(new GateResult("metrics.loss <= 0.3", true, "0.25", "<= 0.3")), results);
        PromotionRejectedException e = assertThrows(PromotionRejectedException.class,
                () -> registry.promote("m", 2, Stage.PRODUCTION, gate));
        assertEquals(List.of(GateResult.fail("metrics.loss <= 0.3", "0.5", "<= 0.3")), e.failures());
        assertMessageContains(e, "actual 0.5", "required <= 0.3");
    }

    @Test
    @DisplayName("every failing gate is listed, in the order given, not just the first")
    default void allFailuresInOrder(ModelRegistry registry, StoreHarness kit) {
        registerWith(kit, "m", Map.of("accuracy", 0.8, "loss", 0.4), Map.of("validated", "false"));
        PromotionRejectedException e = assertThrows(PromotionRejectedException.class,
                () -> registry.promote("m", 1, Stage.PRODUCTION,
                        Gates.metricAtMost("loss", 0.2),
                        Gates.metricAtLeast("accuracy", 0.5),
                        Gates.requireTag("validated", "true"),
                        candidate -> GateResult.fail("custom", "x", "y"),
                        Gates.metricAtLeast("accuracy", 0.95)));
        assertEquals(List.of(
                GateResult.fail("metrics.loss <= 0.2", "0.4", "<= 0.2"),
                GateResult.fail("tags.validated = 'true'", "'false'", "'true'"),
                GateResult.fail("custom", "x", "y"),
                GateResult.fail("metrics.accuracy >= 0.95", "0.8", ">= 0.95")), e.failures());
        assertMessageContains(e, "rejected by 4 gates", "metrics.loss <= 0.2", "tags.validated = 'true'",
                "custom", "metrics.accuracy >= 0.95");
        String message = e.getMessage();
        assertTrue(message.indexOf("metrics.loss") < message.indexOf("tags.validated")
                && message.indexOf("tags.validated") < message.indexOf("custom")
                && message.indexOf("custom") < message.indexOf("metrics.accuracy >= 0.95"),
                () -> "the message lists the failures in the order given: " + message);
    }

    @Test
    @DisplayName("a rejected promotion changes nothing: stages, holders, times and the trail stay")
    default void rejectionChangesNothing(ModelRegistry registry, StoreHarness kit) {
        registerScores(kit, "m", "accuracy", 0.9, 0.7);
        registry.promote("m", 1, Stage.PRODUCTION);
        List<ModelEvent> trail = registry.history("m");
        ModelVersion v1 = registry.getVersion("m", 1);
        ModelVersion v2 = registry.getVersion("m", 2);
        RegisteredModel model = registry.getModel("m");
        tick(kit);
        assertThrows(PromotionRejectedException.class,
                () -> registry.promote("m", 2, Stage.PRODUCTION, Gates.beatsCurrent("accuracy")));
        assertEquals(v1, registry.getVersion("m", 1));
        assertEquals(v2, registry.getVersion("m", 2));
        assertEquals(model, registry.getModel("m"));
        assertEquals(trail, registry.history("m"));
        assertEquals(1, registry.latest("m", Stage.PRODUCTION).orElseThrow().version());
    }

    @Test
    @DisplayName("a lambda gate sees the version, its run, the target, the incumbent and its run")
    default void lambdaGate(Tracker tracker, ModelRegistry registry, StoreHarness kit) {
        ModelVersion v1 = registry.register("m", logModel(kit, linear(1), Map.of("accuracy", 0.8), Map.of()));
        String uri2;
        try (ActiveRun run = tracker.startRun(EXPERIMENT)) {
            run.logParam("subset", "10%");
            uri2 = run.logModel("model", linear(2), ModelFlavor.json()).uri();
        }
        ModelVersion v2 = registry.register("m", uri2);
        registry.promote("m", 1, Stage.PRODUCTION);
        AtomicReference<PromotionCandidate> seen = new AtomicReference<>();
        Gate fullData = candidate -> {
            seen.set(candidate);
            String subset = candidate.run().data().params().get("subset");
            return subset == null ? GateResult.pass("trained on the full data set")
                    : GateResult.fail("trained on the full data set", "subset=" + subset, "no subset");
        };
        PromotionRejectedException e = assertThrows(PromotionRejectedException.class,
                () -> registry.promote("m", 2, Stage.PRODUCTION, fullData));
        assertEquals(List.of(GateResult.fail("trained on the full data set", "subset=10%", "no subset")),
                e.failures());
        PromotionCandidate candidate = seen.get();
        assertEquals(v2, candidate.version());
        assertEquals(v2.runId(), candidate.run().info().id());
        assertEquals(Stage.PRODUCTION, candidate.target());
        assertEquals(1, candidate.incumbent().orElseThrow().version());
        assertEquals(v1.runId(), candidate.incumbentRun().orElseThrow().info().id());
        assertEquals(0.8, candidate.incumbentMetric("accuracy").orElseThrow());
        assertTrue(candidate.metric("accuracy").isEmpty());
        assertEquals(Stage.NONE, registry.getVersion("m", 2).stage());
    }

    @Test
    @DisplayName("Gates.check passes when its predicate holds, and fails with actual 'false', required 'true'")
    default void predicateGate(ModelRegistry registry, StoreHarness kit) {
        registerVersions(kit, "m", 2);
        registry.setVersionTag("m", 2, "ok", "yes");
        Gate tagged = Gates.check("version is tagged ok", c -> c.version().tags().containsKey("ok"));
        PromotionRejectedException e = assertThrows(PromotionRejectedException.class,
                () -> registry.promote("m", 1, Stage.STAGING, tagged));
        assertEquals(List.of(GateResult.fail("version is tagged ok", "false", "true")), e.failures());
        List<GateResult> results = new ArrayList<>();
        registry.promote("m", 2, Stage.STAGING, recording(tagged, results));
        assertEquals(List.of(GateResult.pass("version is tagged ok")), results);
    }

    @Test
    @DisplayName("beatsCurrent (MAXIMIZE): no incumbent passes, better passes, a tie and worse fail")
    default void beatsCurrentMaximize(ModelRegistry registry, StoreHarness kit) {
        registerScores(kit, "m", "accuracy", 0.9, 0.95, 0.95, 0.8);
        registerScores(kit, "m", "loss", 0.1);
        Gate gate = Gates.beatsCurrent("accuracy");
        String name = "metrics.accuracy beats the current production version";
        List<GateResult> results = new ArrayList<>();
        registry.promote("m", 1, Stage.PRODUCTION, recording(gate, results));
        registry.promote("m", 2, Stage.PRODUCTION, recording(gate, results));
        assertEquals(List.of(
                new GateResult(name, true, "no version in Production", ""),
                new GateResult(name, true, "0.95", "> 0.9 (version 1)")), results);
        PromotionRejectedException tie = assertThrows(PromotionRejectedException.class,
                () -> registry.promote("m", 3, Stage.PRODUCTION, gate));
        assertEquals(List.of(GateResult.fail(name, "0.95", "> 0.95 (version 2)")), tie.failures());
        PromotionRejectedException worse = assertThrows(PromotionRejectedException.class,
                () -> registry.promote("m", 4, Stage.PRODUCTION, gate));
        assertEquals(List.of(GateResult.fail(name, "0.8", "> 0.95 (version 2)")), worse.failures());
        assertMessageContains(worse, "actual 0.8", "required > 0.95 (version 2)");
        PromotionRejectedException missing = assertThrows(PromotionRejectedException.class,
                () -> registry.promote("m", 5, Stage.PRODUCTION, gate));
        assertEquals(List.of(GateResult.fail(name, "no such metric", "> 0.95 (version 2)")), missing.failures());
        assertEquals(List.of(2), inStage(kit, "m", Stage.PRODUCTION));
    }

    @Test
    @DisplayName("beatsCurrent (MINIMIZE): lower is better, a tie fails; the incumbent is per target stage")
    default void beatsCurrentMinimize(ModelRegistry registry, StoreHarness kit) {
        registerScores(kit, "m", "loss", 0.3, 0.2, 0.2, 0.4);
        Gate gate = Gates.beatsCurrent("loss", Objective.MINIMIZE);
        String name = "metrics.loss beats the current staging version";
        registry.promote("m", 1, Stage.STAGING, gate);
        List<GateResult> results = new ArrayList<>();
        registry.promote("m", 2, Stage.STAGING, recording(gate, results));
        assertEquals(List.of(new GateResult(name, true, "0.2", "< 0.3 (version 1)")), results);
        PromotionRejectedException tie = assertThrows(PromotionRejectedException.class,
                () -> registry.promote("m", 3, Stage.STAGING, gate));
        assertEquals(List.of(GateResult.fail(name, "0.2", "< 0.2 (version 2)")), tie.failures());
        assertThrows(PromotionRejectedException.class, () -> registry.promote("m", 4, Stage.STAGING, gate));
        // Production is empty: its gate has no incumbent, whatever Staging holds.
        assertEquals(Stage.PRODUCTION, registry.promote("m", 4, Stage.PRODUCTION, gate).stage());
    }

    @Test
    @DisplayName("requireTag passes on a version tag or, failing that, a run tag; fails naming what it found")
    default void requireTag(ModelRegistry registry, StoreHarness kit) {
        registerWith(kit, "m", Map.of("a", 1.0), Map.of());
        registerWith(kit, "m", Map.of("b", 2.0), Map.of("validated", "true"));
        registerWith(kit, "m", Map.of("c", 3.0), Map.of());
        registerWith(kit, "m", Map.of("d", 4.0), Map.of("validated", "false"));
        registry.setVersionTag("m", 1, "validated", "true");
        registry.setVersionTag("m", 3, "validated", "pending");
        Gate gate = Gates.requireTag("validated", "true");
        String name = "tags.validated = 'true'";
        List<GateResult> results = new ArrayList<>();
        registry.promote("m", 1, Stage.STAGING, recording(gate, results));
        registry.promote("m", 2, Stage.STAGING, recording(gate, results));
        assertEquals(List.of(new GateResult(name, true, "'true'", "'true'"),
                new GateResult(name, true, "'true'", "'true'")), results, "on the version, then on the run");
        assertEquals(List.of(GateResult.fail(name, "'pending'", "'true'")),
                assertThrows(PromotionRejectedException.class,
                        () -> registry.promote("m", 3, Stage.STAGING, gate)).failures());
        assertEquals(List.of(GateResult.fail(name, "'false'", "'true'")),
                assertThrows(PromotionRejectedException.class,
                        () -> registry.promote("m", 4, Stage.STAGING, gate)).failures());
        registerNew(kit, "m", 5);
        PromotionRejectedException none = assertThrows(PromotionRejectedException.class,
                () -> registry.promote("m", 5, Stage.STAGING, gate));
        assertEquals(List.of(GateResult.fail(name, "no such tag", "'true'")), none.failures());
        assertMessageContains(none, "no such tag", "'true'");
    }

    @Test
    @DisplayName("promote archives the previous holder, recording user and comment")
    default void promoteArchivesPrevious(ModelRegistry registry, StoreHarness kit) {
        registerScores(kit, "m", "accuracy", 0.9, 0.95);
        registry.promote("m", 1, Stage.PRODUCTION);
        Instant at = tick(kit);
        ModelVersion promoted = registry.promote("m", 2, Stage.PRODUCTION,
                TransitionOptions.archiveExisting().user("ci").comment("nightly"), Gates.beatsCurrent("accuracy"));
        assertEquals(Stage.PRODUCTION, promoted.stage());
        assertEquals(at, promoted.lastUpdateTime());
        assertEquals(Stage.ARCHIVED, registry.getVersion("m", 1).stage());
        List<ModelEvent> trail = registry.history("m");
        assertEquals(List.of(
                event(2, Action.STAGE_CHANGED, null, "None", "Production", 1, "ci", "nightly"),
                event(1, Action.STAGE_CHANGED, null, "Production", "Archived", 1, "ci",
                        "archived: version 2 took the stage (nightly)")),
                describe(trail.subList(trail.size() - 2, trail.size())));
    }

    @Test
    @DisplayName("promote with archiveExisting(false) leaves the holders in the stage, as MLflow's transition, and still records the gates")
    default void promoteKeepingHolders(ModelRegistry registry, StoreHarness kit) {
        registerScores(kit, "m", "accuracy", 0.9, 0.95);
        registry.promote("m", 1, Stage.PRODUCTION);
        registry.promote("m", 2, Stage.PRODUCTION, TransitionOptions.defaults().archiveExisting(false).comment("canary"),
                Gates.beatsCurrent("accuracy"));
        assertEquals(Stage.PRODUCTION, registry.getVersion("m", 1).stage());
        assertEquals(Stage.PRODUCTION, registry.getVersion("m", 2).stage());
        ModelEvent last = registry.history("m").get(registry.history("m").size() - 1);
        assertEquals(2, last.version());
        assertEquals(1, last.gates().size());
        assertTrue(last.gates().get(0).passed());
    }

    @Test
    @DisplayName("promoting a version already in the stage again judges its gates against the stage's other holders, none if alone")
    default void promoteAlreadyThere(ModelRegistry registry, StoreHarness kit) {
        registerScores(kit, "m", "accuracy", 0.9, 0.95);
        registry.promote("m", 1, Stage.PRODUCTION);
        ModelVersion again = registry.promote("m", 1, Stage.PRODUCTION, Gates.beatsCurrent("accuracy"));
        assertEquals(Stage.PRODUCTION, again.stage());
        ModelEvent alone = registry.history("m").get(registry.history("m").size() - 1);
        assertEquals(1, alone.version());
        assertEquals("no other version in Production", alone.gates().get(0).actual(), String.valueOf(alone.gates()));

        registry.promote("m", 2, Stage.PRODUCTION, TransitionOptions.defaults().archiveExisting(false));
        registry.promote("m", 2, Stage.PRODUCTION, Gates.beatsCurrent("accuracy"));
        assertEquals(Stage.ARCHIVED, registry.getVersion("m", 1).stage());
        ModelEvent last = registry.history("m").get(registry.history("m").size() - 2);
        assertEquals(2, last.version());
        assertTrue(last.gates().get(0).required().contains("version 1"), String.valueOf(last.gates()));
    }

    @Test
    @DisplayName("a gate that throws aborts the promotion with its exception and changes nothing")
    default void throwingGate(ModelRegistry registry, StoreHarness kit) {
        registerNew(kit, "m", 1);
        int trail = registry.history("m").size();
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> registry.promote("m", 1, Stage.PRODUCTION, Gates.metricAtLeast("a", 0), candidate -> {
                    throw new IllegalStateException("validation service unreachable");
                }));
        assertEquals("validation service unreachable", thrown.getMessage());
        assertEquals(Stage.NONE, registry.getVersion("m", 1).stage());
        assertEquals(trail, registry.history("m").size());
    }

    @ParameterizedTest
    @EnumSource(names = {"NONE", "ARCHIVED"})
    @DisplayName("promote to None or Archived fails with InvalidInputException and changes nothing")
    default void promoteOnlyUp(Stage target, ModelRegistry registry, StoreHarness kit) {
        registerNew(kit, "m", 1);
        registry.transition("m", 1, Stage.STAGING);
        int trail = registry.history("m").size();
        assertThrowsWith(InvalidInputException.class, () -> registry.promote("m", 1, target), target.toString());
        assertEquals(Stage.STAGING, registry.getVersion("m", 1).stage());
        assertEquals(trail, registry.history("m").size());
    }

    @Test
    @DisplayName("promote of a missing version fails with NotFoundException; a null gate with InvalidInputException")
    default void promoteErrors(ModelRegistry registry, StoreHarness kit) {
        registerNew(kit, "m", 1);
        assertThrows(InvalidInputException.class,
                () -> registry.promote("m", 1, Stage.PRODUCTION, Gates.metricAtLeast("a", 1), null));
        assertThrowsWith(NotFoundException.class, () -> registry.promote("m", 2, Stage.PRODUCTION), "version 2");
        assertThrowsWith(NotFoundException.class, () -> registry.promote("ghost", 1, Stage.PRODUCTION), "'ghost'");
        assertEquals(Stage.NONE, registry.getVersion("m", 1).stage());
    }
}
