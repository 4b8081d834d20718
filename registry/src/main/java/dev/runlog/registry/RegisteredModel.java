package dev.runlog.registry;

import dev.runlog.tracking.spi.InputRules;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * A registered model: a name under which versions of a model are registered, promoted and served.
 *
 * @param name           unique in the registry
 * @param description    free text, empty when none was given
 * @param creationTime   when the model was created
 * @param lastUpdateTime when the model or one of its versions last changed
 * @param tags           the model's tags, by key
 * @param aliases        each alias of the model and the version it points to, by alias
 */
public record RegisteredModel(String name, String description, Instant creationTime, Instant lastUpdateTime,
                              Map<String, String> tags, Map<String, Integer> aliases) {
    public RegisteredModel {
        InputRules.notNull("name", name);
        description = description == null ? "" : description;
        InputRules.notNull("creationTime", creationTime);
        InputRules.notNull("lastUpdateTime", lastUpdateTime);
        tags = java.util.Collections.unmodifiableMap(new TreeMap<>(InputRules.notNull("tags", tags)));
        aliases = java.util.Collections.unmodifiableMap(new TreeMap<>(InputRules.notNull("aliases", aliases)));
    }
}
