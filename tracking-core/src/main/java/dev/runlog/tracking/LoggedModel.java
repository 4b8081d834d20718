package dev.runlog.tracking;

import dev.runlog.tracking.spi.InputRules;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A model logged by a run, as its {@code MLmodel.json} descriptor records it.
 *
 * @param runId         the run that logged it
 * @param artifactPath  the model's directory among the run's artifacts
 * @param flavor        the flavor it was saved with, and that loads it
 * @param flavorConfig  what the flavor recorded about it, such as the model's class
 * @param modelUuid     a unique id of this model, kept by exports and imports
 * @param creationTime  when it was logged (UTC)
 * @param payloadSize   the payload's total size in bytes
 * @param payloadSha256 SHA-256 over the payload's files (each file's path and SHA-256, in path order)
 * @param signature     what it takes and returns, if given
 * @param inputExample  the artifact file holding an input example, relative to the model directory
 * @param metadata      user metadata
 * @param runlogVersion the Runlog version that wrote the descriptor
 */
public record LoggedModel(String runId, String artifactPath, String flavor, Map<String, String> flavorConfig,
                          String modelUuid, Instant creationTime, long payloadSize, String payloadSha256,
                          Optional<ModelSignature> signature, Optional<String> inputExample,
                          Map<String, String> metadata, String runlogVersion) {
    public LoggedModel {
        InputRules.notNull("runId", runId);
        InputRules.notNull("artifactPath", artifactPath);
        InputRules.notNull("flavor", flavor);
        flavorConfig = Map.copyOf(InputRules.notNull("flavorConfig", flavorConfig));
        InputRules.notNull("modelUuid", modelUuid);
        InputRules.notNull("creationTime", creationTime);
        InputRules.notNull("payloadSha256", payloadSha256);
        InputRules.notNull("signature", signature);
        InputRules.notNull("inputExample", inputExample);
        metadata = Map.copyOf(InputRules.notNull("metadata", metadata));
        InputRules.notNull("runlogVersion", runlogVersion);
    }

    /** {@code runs:/<runId>/<artifactPath>}: what {@link Tracker#loadModel} and the registry take. */
    public String uri() {
        return "runs:/" + runId + "/" + artifactPath;
    }
}
