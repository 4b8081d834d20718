package dev.runlog.cli;

import picocli.CommandLine.Option;

/** A command with {@code --format}: the formats it offers are checked before it runs. */
abstract class FormattedCommand extends CliCommand {
    @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT",
            description = "table (default) or json; runs and metric offer csv too")
    Format format;

    /** What this command can write; table and json unless it says otherwise. */
    Format[] offered() {
        return new Format[] {Format.TABLE, Format.JSON};
    }

    @Override
    public final Integer call() throws Exception {
        offer(format, offered());
        return run();
    }

    abstract Integer run() throws Exception;
}
