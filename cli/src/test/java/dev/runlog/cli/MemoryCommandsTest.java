package dev.runlog.cli;

import org.junit.jupiter.api.DisplayName;

@DisplayName("commands on the in-memory store")
class MemoryCommandsTest extends CommandsContract {
    @Override
    CliHarness harness() {
        return new CliHarness(null);
    }
}
