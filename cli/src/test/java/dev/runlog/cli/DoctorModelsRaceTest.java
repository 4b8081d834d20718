package dev.runlog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.Stage;
import dev.runlog.tracking.NotFoundException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * doctor's model check on a store another process changes: a version deleted between doctor's
 * listing and its check is a change, not damage; one that exists and does not resolve is damage.
 */
class DoctorModelsRaceTest {

    private static ModelVersion version(int number) {
        Instant at = Instant.parse("2026-03-02T09:00:00Z");
        return new ModelVersion("churn", number, "runs:/0123456789abcdef0123456789abcdef/model",
                "0123456789abcdef0123456789abcdef", ModelVersion.Status.READY, Stage.NONE, "", "ana", at, at,
                Map.of(), List.of(), Optional.empty());
    }

    /** A registry that lists versions 1 and 2, resolves neither, and still has only {@code present}. */
    private static ModelRegistry listedThenGone(int present) {
        return (ModelRegistry) Proxy.newProxyInstance(ModelRegistry.class.getClassLoader(), new Class<?>[] {ModelRegistry.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "searchVersions" -> List.of(version(1), version(2));
                    case "resolve" -> throw new NotFoundException("registered model 'churn' has no version " + args[0]);
                    case "getVersion" -> {
                        if ((int) args[1] == present) {
                            yield version(present);
                        }
                        throw new NotFoundException("registered model 'churn' has no version " + args[1]);
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void aVersionDeletedWhileDoctorRunsIsNoProblemAndOneThatStillExistsIs() {
        HealthCommands.Doctor.Check check = HealthCommands.Doctor.models(listedThenGone(2), Map.of());
        assertEquals(List.of("churn version 2 (None): registered model 'churn' has no version models:/churn/2"),
                check.problems(), "version 1 was deleted meanwhile; version 2 is there and does not resolve");
    }
}
