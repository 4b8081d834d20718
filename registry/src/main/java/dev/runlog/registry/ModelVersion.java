package dev.runlog.registry;

import dev.runlog.tracking.spi.InputRules;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One registered version of a model: a logged model (its {@code runs:/} URI) given a number under a
 * registered model's name. Numbers run 1, 2, 3, ... per model and are never reused, even after a
 * version is deleted.
 *
 * @param name           the registered model's name
 * @param version        the version number, from 1
 * @param source         the {@code runs:/<runId>/<path>} URI of the logged model
 * @param runId          the run that logged it
 * @param status         always {@link Status#READY}: registration copies nothing, so it is complete
 *                       when {@code register} returns
 * @param stage          the current stage
 * @param description    free text, empty when none was given
 * @param userId         who registered it
 * @param creationTime   when it was registered
 * @param lastUpdateTime when it last changed (stage, description, tags or aliases)
 * @param tags           the version's tags, by key
 * @param aliases        the aliases pointing to this version, sorted
 * @param modelDigest    SHA-256 (64 lowercase hex characters) of the logged model's descriptor
 *                       bytes ({@code MLmodel.json}, which lists the SHA-256 of every payload file),
 *                       recorded at registration; {@code resolve}, {@code load} and {@code deploy}
 *                       refuse the version with an {@code IntegrityException} once the model no
 *                       longer matches it. Empty for a version registered before Runlog recorded
 *                       digests: its payload files are still checked against its descriptor
 */
public record ModelVersion(String name, int version, String source, String runId, Status status, Stage stage,
                           String description, String userId, Instant creationTime, Instant lastUpdateTime,
                           Map<String, String> tags, List<String> aliases, Optional<String> modelDigest) {

    /** Where a version is in its registration; see {@link ModelVersion#status()}. */
    public enum Status {
        READY
    }

    public ModelVersion {
        InputRules.notNull("name", name);
        if (version < 1) {
            throw new dev.runlog.tracking.InvalidInputException("version numbers start at 1: " + version);
        }
        InputRules.notNull("source", source);
        InputRules.notNull("runId", runId);
        InputRules.notNull("status", status);
        InputRules.notNull("stage", stage);
        description = description == null ? "" : description;
        userId = userId == null ? "" : userId;
        InputRules.notNull("creationTime", creationTime);
        InputRules.notNull("lastUpdateTime", lastUpdateTime);
        tags = java.util.Collections.unmodifiableMap(new TreeMap<>(InputRules.notNull("tags", tags)));
        aliases = InputRules.notNull("aliases", aliases).stream().sorted().toList();
        InputRules.notNull("modelDigest", modelDigest);
    }

    /** This version's URI, {@code models:/<name>/<version>}, which always resolves to it. */
    public String uri() {
        return "models:/" + name + "/" + version;
    }
}
