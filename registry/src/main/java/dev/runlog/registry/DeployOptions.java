package dev.runlog.registry;

import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.ModelFlavor;
import dev.runlog.tracking.spi.InputRules;
import java.time.Duration;
import java.util.Optional;

/**
 * How a {@link DeployedModel} follows its stage or alias: how often it polls the store (1 second by
 * default) and, optionally, the flavor instance that loads each version. Immutable: each setter
 * ({@code pollInterval(Duration)}) returns a changed copy, each accessor ({@code pollInterval()})
 * is named after its property, with no {@code get} prefix, as every options class of Runlog's API.
 *
 * <pre>{@code
 * registry.deploy("models:/iris@champion", Classifier.class,
 *         DeployOptions.defaults().pollInterval(Duration.ofMillis(200)));
 * registry.deploy("forest", Stage.PRODUCTION, RandomForest.class,
 *         DeployOptions.defaults().flavor(ModelFlavor.javaSerialized("smile")));
 * }</pre>
 */
public final class DeployOptions {
    private static final DeployOptions DEFAULTS = new DeployOptions(Duration.ofSeconds(1), null);

    private final Duration pollInterval;
    private final ModelFlavor flavor;

    private DeployOptions(Duration pollInterval, ModelFlavor flavor) {
        this.pollInterval = pollInterval;
        this.flavor = flavor;
    }

    /** Polls every second; loads with the flavor each model was logged with. */
    public static DeployOptions defaults() {
        return DEFAULTS;
    }

    /** A copy polling at this interval, from 10 ms up. */
    public DeployOptions pollInterval(Duration interval) {
        InputRules.notNull("interval", interval);
        if (interval.compareTo(Duration.ofMillis(10)) < 0) {
            throw new InvalidInputException("poll interval " + interval + " is too short; the minimum is 10 ms");
        }
        return new DeployOptions(interval, flavor);
    }

    /** A copy loading each version with this flavor, such as a java-serialized one allowing more packages. */
    public DeployOptions flavor(ModelFlavor modelFlavor) {
        return new DeployOptions(pollInterval, InputRules.notNull("flavor", modelFlavor));
    }

    /** How often the deployment polls the store: 1 second unless {@link #pollInterval(Duration)} set it. */
    public Duration pollInterval() {
        return pollInterval;
    }

    /** The flavor that loads each version; empty to load with the flavor each model was logged with. */
    public Optional<ModelFlavor> flavor() {
        return Optional.ofNullable(flavor);
    }
}
