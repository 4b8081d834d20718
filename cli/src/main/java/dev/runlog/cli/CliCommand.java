package dev.runlog.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.ParentCommand;

/** A subcommand of {@code runlog}: it reaches the invocation's {@link Context} through its parent. */
abstract class CliCommand implements Callable<Integer> {
    /** Output formats; which ones a command offers is in its {@code --format} option. */
    enum Format { TABLE, CSV, JSON }

    static final String GREEN = "\033[32m";
    static final String RED = "\033[31m";
    static final String YELLOW = "\033[33m";

    @ParentCommand
    RunlogCli root;

    Context ctx() {
        return root.ctx;
    }

    /** Fails a format a command does not offer as a usage error, naming those it does. */
    static void offer(Format format, Format... offered) {
        for (Format f : offered) {
            if (f == format) {
                return;
            }
        }
        throw new UsageException("--format " + format.name().toLowerCase(java.util.Locale.ROOT) + " is not offered here; use "
                + java.util.Arrays.stream(offered).map(f -> f.name().toLowerCase(java.util.Locale.ROOT))
                .collect(java.util.stream.Collectors.joining(" or ")));
    }

    /** A wrong command line found after parsing (a column that does not exist, say): exit code 2. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
