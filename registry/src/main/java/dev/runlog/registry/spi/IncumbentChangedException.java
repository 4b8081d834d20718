package dev.runlog.registry.spi;

import dev.runlog.tracking.ConflictException;

/**
 * Thrown by {@link RegistryStore#transition} when {@link StageTransition#expectedIncumbent()} no
 * longer holds: another transition to the stage landed first. Promotion checks its gates again.
 */
public class IncumbentChangedException extends ConflictException {
    public IncumbentChangedException(String message) {
        super(message);
    }
}
