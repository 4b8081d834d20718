package dev.runlog.registry;

import dev.runlog.tracking.RunlogException;
import dev.runlog.tracking.spi.InputRules;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown by {@link ModelRegistry#promote} when a version fails one or more gates. Nothing changed:
 * the version kept its stage. {@link #failures()} lists every failed gate, not just the first.
 */
public class PromotionRejectedException extends RunlogException {
    private final String model;
    private final int version;
    private final Stage target;
    private final List<GateResult> failures;

    public PromotionRejectedException(String model, int version, Stage target, List<GateResult> failures) {
        super("promotion of " + model + " version " + version + " to " + target + " rejected by "
                + failures.size() + (failures.size() == 1 ? " gate: " : " gates: ")
                + failures.stream().map(GateResult::toString).collect(Collectors.joining("; ")));
        this.model = model;
        this.version = version;
        this.target = target;
        this.failures = List.copyOf(InputRules.notNull("failures", failures));
    }

    public String model() {
        return model;
    }

    public int version() {
        return version;
    }

    public Stage target() {
        return target;
    }

    /** Every gate the version failed, in the order the gates were given. */
    public List<GateResult> failures() {
        return failures;
    }
}
