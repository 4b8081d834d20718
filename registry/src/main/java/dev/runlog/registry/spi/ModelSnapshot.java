package dev.runlog.registry.spi;

import dev.runlog.registry.ModelEvent;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.RegisteredModel;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.spi.InputRules;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A registered model as it stands, to store again with its identity ({@link RegistryStore#importModel}):
 * the model (description, times, tags, aliases), its versions with their numbers, stages, times,
 * digests, descriptions and tags, and its audit trail as {@link RegistryStore#history} gives it.
 * Checked whole when made, so a store never sees an inconsistent one: names, aliases and version
 * numbers by the registry's rules, and the parts against each other.
 *
 * @param model    the model; each of its aliases points to one of {@code versions}
 * @param versions its versions, each under the model's name, numbers from 1 given once each, each
 *                 listing exactly the aliases of the model that point to it
 * @param events   its audit trail, oldest first: every event under the model's name, sequences
 *                 strictly increasing, versions from 0 (0 for the model as a whole)
 */
public record ModelSnapshot(RegisteredModel model, List<ModelVersion> versions, List<ModelEvent> events) {
    public ModelSnapshot {
        InputRules.notNull("model", model);
        versions = List.copyOf(InputRules.notNull("versions", versions));
        events = List.copyOf(InputRules.notNull("events", events));
        String name = RegistryNames.model(model.name());
        model.aliases().keySet().forEach(RegistryNames::alias);
        Set<Integer> numbers = new HashSet<>();
        for (ModelVersion v : versions) {
            RegistryNames.version(v.version());
            if (!v.name().equals(name)) {
                throw new InvalidInputException("version " + v.version() + " of '" + v.name() + "' is not of model '" + name + "'");
            }
            if (!numbers.add(v.version())) {
                throw new InvalidInputException("model '" + name + "': version " + v.version() + " is given twice");
            }
            List<String> pointing = new ArrayList<>();
            model.aliases().forEach((alias, number) -> {
                if (number == v.version()) {
                    pointing.add(alias);
                }
            });
            if (!pointing.equals(v.aliases())) {
                throw new InvalidInputException("model '" + name + "': version " + v.version() + " lists aliases "
                        + v.aliases() + " but the model points " + pointing + " to it");
            }
        }
        for (Map.Entry<String, Integer> alias : model.aliases().entrySet()) {
            if (!numbers.contains(alias.getValue())) {
                throw new InvalidInputException("model '" + name + "': alias '" + alias.getKey() + "' points to version "
                        + alias.getValue() + ", which is not given");
            }
        }
        long previous = 0;
        for (ModelEvent e : events) {
            if (!e.model().equals(name)) {
                throw new InvalidInputException("event " + e.sequence() + " is of model '" + e.model() + "', not '" + name + "'");
            }
            if (e.sequence() <= previous) {
                throw new InvalidInputException("model '" + name + "': event sequences must increase, but " + e.sequence()
                        + " follows " + previous);
            }
            if (e.version() < 0) {
                throw new InvalidInputException("model '" + name + "': event " + e.sequence() + " has version " + e.version());
            }
            previous = e.sequence();
        }
    }

    /**
     * The number the next version registered gets: one more than the highest number the versions and
     * events show, so numbers of versions deleted before the snapshot are not given again.
     */
    public int nextVersion() {
        int highest = 0;
        for (ModelVersion v : versions) {
            highest = Math.max(highest, v.version());
        }
        for (ModelEvent e : events) {
            highest = Math.max(highest, e.version());
        }
        return highest + 1;
    }
}
