package dev.runlog.junit;

import static dev.runlog.junit.RunlogAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.Stage;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Tracker;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentest4j.AssertionFailedError;

/** Every check of {@link ModelVersionAssert}, holding and failing, with the message it fails with. */
class ModelVersionAssertTest {

    static ModelVersion version(int number, Stage stage, Map<String, String> tags, List<String> aliases) {
        Instant now = Instant.parse("2024-05-01T12:00:00Z");
        return new ModelVersion("iris", number, "runs:/" + "a".repeat(32) + "/model", "a".repeat(32),
                ModelVersion.Status.READY, stage, "", "ci", now, now, tags, aliases, java.util.Optional.empty());
    }

    static final ModelVersion CHAMPION = version(3, Stage.PRODUCTION, Map.of("validated_by", "ci", "team", "vision"),
            List.of("champion", "blue"));
    static final ModelVersion BARE = version(1, Stage.NONE, Map.of(), List.of());

    @Test
    void checksChainOnOneObject() {
        ModelVersionAssert checks = assertThat(CHAMPION);
        assertSame(checks, checks.isVersion(3).hasStage(Stage.PRODUCTION).hasAlias("champion").hasAlias("blue")
                .hasTag("team", "vision"));
    }

    @Test
    void aNullVersionFails() {
        assertEquals("expected a model version, but it was null",
                RunAssertTest.failure(() -> assertThat((ModelVersion) null)).getMessage());
    }

    @Test
    void isVersionFailsOnAnotherNumber() {
        AssertionFailedError e = RunAssertTest.failure(() -> assertThat(CHAMPION).isVersion(2));
        assertEquals("expected version 2 of model 'iris', but it is version 3", e.getMessage());
        RunAssertTest.assertExpectedActual(e, 2, 3);
    }

    @Test
    void hasStageFailsOnAnotherStage() {
        assertThat(BARE).hasStage(Stage.NONE);
        AssertionFailedError e = RunAssertTest.failure(() -> assertThat(BARE).hasStage(Stage.PRODUCTION));
        assertEquals("expected version 1 of model 'iris' to be in stage Production, but it is in stage None",
                e.getMessage());
        RunAssertTest.assertExpectedActual(e, Stage.PRODUCTION, Stage.NONE);
    }

    @Test
    void hasAliasFailsAndShowsTheAliases() {
        assertEquals("expected version 3 of model 'iris' to have alias 'challenger', but its aliases were [blue, champion]",
                RunAssertTest.failure(() -> assertThat(CHAMPION).hasAlias("challenger")).getMessage());
        assertEquals("expected version 1 of model 'iris' to have alias 'champion', but it has no aliases",
                RunAssertTest.failure(() -> assertThat(BARE).hasAlias("champion")).getMessage());
    }

    @Test
    void hasTagFailsOnAnotherValueOrAMissingTag() {
        AssertionFailedError other = RunAssertTest.failure(() -> assertThat(CHAMPION).hasTag("team", "nlp"));
        assertEquals("expected version 3 of model 'iris' to have tag team = nlp, but team = vision;"
                + " tags were {team=vision, validated_by=ci}", other.getMessage());
        RunAssertTest.assertExpectedActual(other, "nlp", "vision");

        AssertionFailedError missing = RunAssertTest.failure(() -> assertThat(BARE).hasTag("team", "nlp"));
        assertEquals("expected version 1 of model 'iris' to have tag team = nlp, but it has no tag team; tags were {}",
                missing.getMessage());
        assertFalse(missing.isExpectedDefined());
    }

    @Test
    @ExtendWith(RunlogExtension.class)
    void worksOnVersionsTheRegistryReturns(Tracker tracker, ModelRegistry registry) {
        try (ActiveRun run = tracker.startRun("iris")) {
            registry.register("iris", run.logModel("model", List.of(1)).uri());
            registry.register("iris", run.logModel("model2", List.of(2)).uri());
        }
        registry.transition("iris", 2, Stage.STAGING);
        registry.setAlias("iris", "challenger", 2);
        registry.setVersionTag("iris", 2, "validated_by", "ci");

        assertThat(registry.getVersion("iris", 2)).isVersion(2).hasStage(Stage.STAGING).hasAlias("challenger")
                .hasTag("validated_by", "ci");
        assertEquals("expected version 1 of model 'iris' to be in stage Staging, but it is in stage None",
                RunAssertTest.failure(() -> assertThat(registry.getVersion("iris", 1)).hasStage(Stage.STAGING))
                        .getMessage());
    }
}
