package dev.runlog.cli;

import dev.runlog.registry.PromotionRejectedException;
import dev.runlog.registry.Stage;
import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.InvalidFilterException;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.RunlogException;
import dev.runlog.tracking.StoreException;
import dev.runlog.tracking.ViewType;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code runlog}: Runlog from a terminal or a CI job. Exit codes: 0 done, 1 the request failed
 * (not found, rejected promotion, bad filter, unhealthy store), 2 the command line was wrong.
 * Errors are one line on stderr saying what to do; {@code --verbose} adds the stack trace.
 */
// The subcommands are added by commandLine(..), from SUBCOMMANDS, not declared here.
@Command(name = "runlog", mixinStandardHelpOptions = true, versionProvider = RunlogCli.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Runs, models, promotions, archives, store copies and store health from the terminal.",
        footer = {"", "Exit codes: 0 done, 1 the request failed, 2 usage error.",
                "Store: --store URI, else -Drunlog.tracking.uri, else $RUNLOG_TRACKING_URI, else sqlite:runlog.db."})
public final class RunlogCli {
    /** Exit code of a request that failed: not found, rejected, bad filter, unhealthy store. */
    static final int FAILED = 1;
    /** Exit code of a command line that is wrong: unknown option, missing argument, bad value. */
    static final int USAGE = 2;

    /**
     * Every subcommand, in the order {@code --help} lists them. picocli reads every annotated field
     * and method of each when the command line is built, which was about a third of a short
     * command's start-up; so a command line naming one of them gets only that one (see
     * {@link #commandLine}).
     */
    static final List<Class<?>> SUBCOMMANDS = List.of(
            UiCommand.class,
            RunCommands.Experiments.class, RunCommands.Runs.class, RunCommands.Show.class,
            RunCommands.MetricHistory.class, RunCommands.Diff.class,
            ModelCommands.Models.class, ModelCommands.Show.class, ModelCommands.Register.class, ModelCommands.Promote.class,
            ModelCommands.Alias.class,
            ArchiveCommands.Export.class, ArchiveCommands.Import.class, CopyCommand.class, ImportMlflowCommand.class,
            HealthCommands.Gc.class, HealthCommands.Doctor.class,
            AutoComplete.GenerateCompletion.class);

    final Context ctx;

    RunlogCli(Context ctx) {
        this.ctx = ctx;
    }

    @Option(names = "--store", paramLabel = "URI", scope = ScopeType.INHERIT,
            description = "The store, as Tracker.open takes it: sqlite:PATH, memory:, ...")
    void store(String uri) {
        ctx.storeUri = uri;
    }

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    void verbose(boolean on) {
        ctx.verbose = on;
        if (on && ctx.ownsLogging) {
            java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.INFO);
        }
    }

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        // Runlog logs what a library user may want to know (a server listening, a store compacted);
        // a command says it itself, so only warnings reach stderr, unless --verbose. Configured when
        // something first logs: starting java.util.logging took some 20 ms of every short command.
        if (System.getProperty("java.util.logging.config.class") == null
                && System.getProperty("java.util.logging.config.file") == null) {
            System.setProperty("java.util.logging.config.class", QuietLogging.class.getName());
        } else {
            java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        }
        int code;
        try (Context ctx = Context.forProcess(System.getenv())) {
            code = execute(ctx, args);
        }
        if (Boolean.getBoolean(ArchiveTour.PROPERTY)) {
            ArchiveTour.run(Path.of(System.getProperty("java.io.tmpdir")));
        }
        System.exit(code);
    }

    /** Runs one command line in {@code ctx} and returns its exit code; {@code ctx} stays open. */
    static int execute(Context ctx, String... args) {
        try {
            return commandLine(ctx, args).execute(args);
        } catch (OutOfMemoryError e) {
            // Picocli passes errors through: without this, a JVM stack trace instead of one line.
            ctx.out.flush();
            ctx.err.println("runlog: out of memory (" + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB of heap);"
                    + " runs --format csv or json streams its runs, metric holds its whole series; or give the JVM more, such as"
                    + " RUNLOG_JAVA_OPTS=-Xmx4g");
            return FAILED;
        }
    }

    /**
     * The command line for {@code args}: the root with only the subcommand {@code args} name, or with
     * every subcommand when they name none, an unknown one or {@code generate-completion} (which
     * describes them all), so help, completion and "unknown command" messages see the whole tree.
     */
    static CommandLine commandLine(Context ctx, String... args) {
        CommandLine cli = new CommandLine(new RunlogCli(ctx));
        Class<?> named = subcommandNamed(args);
        for (Class<?> subcommand : named == null || named == AutoComplete.GenerateCompletion.class
                ? SUBCOMMANDS : List.of(named)) {
            cli.addSubcommand(subcommand);
        }
        cli.setOut(ctx.out);
        cli.setErr(ctx.err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.registerConverter(Stage.class, RunlogCli::stage);
        cli.registerConverter(ViewType.class, RunlogCli::view);
        cli.setParameterExceptionHandler((e, line) -> {
            String message = e.getMessage();
            if (e instanceof CommandLine.UnmatchedArgumentException unmatched && e.getCommandLine() == cli
                    && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().get(0).startsWith("-")) {
                // Picocli's "Unmatched argument at index 2" for what is a mistyped command name.
                message = "unknown command '" + unmatched.getUnmatched().get(0) + "'";
            }
            ctx.err.println("runlog: " + Text.visible(message));
            ctx.err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, command, parsed) -> failure(ctx, e, command.getCommandSpec().qualifiedName()));
        cli.setExitCodeExceptionMapper(e -> FAILED);
        return cli;
    }

    /**
     * The subcommand class named by the first argument that is not an option, or null. The only
     * root option taking a value is {@code --store}; every other option (--verbose, --help, a
     * subcommand's own) is skipped, and picocli judges the whole line afterwards as usual.
     */
    static Class<?> subcommandNamed(String... args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--store")) {
                i++;
            } else if (!arg.startsWith("-")) {
                for (Class<?> subcommand : SUBCOMMANDS) {
                    Command command = subcommand.getAnnotation(Command.class);
                    if (command.name().equals(arg) || List.of(command.aliases()).contains(arg)) {
                        return subcommand;
                    }
                }
                return null;
            }
        }
        return null;
    }

    /** The web API's {@code active}, {@code deleted} and {@code all}, and the enum's own names, in any case. */
    private static ViewType view(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "active", "active_only" -> ViewType.ACTIVE_ONLY;
            case "deleted", "deleted_only" -> ViewType.DELETED_ONLY;
            case "all" -> ViewType.ALL;
            default -> throw new CommandLine.TypeConversionException("'" + text + "' is no view: use active, deleted or all");
        };
    }

    private static Stage stage(String text) {
        try {
            return Stage.parse(text);
        } catch (InvalidInputException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    /** One line that says what went wrong and what to do; the stack trace only with --verbose. */
    private static int failure(Context ctx, Exception e, String command) {
        if (ctx.verbose) {
            e.printStackTrace(ctx.err);
        }
        if (e instanceof CliCommand.UsageException) {
            ctx.err.println("runlog: " + Text.visible(e.getMessage()));
            ctx.err.println("Try '" + command + " --help'.");
            return USAGE;
        }
        if (e instanceof PromotionRejectedException rejected) {
            // A gate's actual value can be stored text (a tag's value): escaped, as every line of stored text is.
            ctx.err.println(Text.visible("runlog: promotion of " + rejected.model() + " version " + rejected.version()
                    + " to " + rejected.target() + " rejected by " + rejected.failures().size() + " gate(s); nothing changed:"));
            rejected.failures().forEach(gate -> ctx.err.println(Text.visible("  failed: " + gate.gate() + ": actual "
                    + gate.actual() + ", required " + gate.required())));
            return FAILED;
        }
        ctx.err.println("runlog: " + Text.visible(oneLine(e)) + hint(e, command));
        return FAILED;
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof RunlogException || e instanceof UncheckedIOException) {
            return message.replace('\n', ' ');
        }
        return "unexpected " + e.getClass().getName() + ": " + message.replace('\n', ' ');
    }

    static String hint(Exception e, String command) {
        if (e instanceof InvalidFilterException) {
            // Runs and models have grammars of their own; the command's help shows its own.
            return "; fix the filter at that column (" + command + " --help shows an example)";
        }
        if (e instanceof Context.NoStore) {
            return "";
        }
        boolean archive = command.endsWith(" import");
        if (e instanceof NotFoundException && String.valueOf(e.getMessage()).startsWith("No Runlog store")) {
            return "; check --store: runlog makes a store only for import, import-mlflow, copy --to and ui --allow-writes";
        }
        if (e instanceof NotFoundException) {
            if (command.endsWith(" import-mlflow")) {
                return "; check --from";
            }
            if (command.endsWith(" runs") || command.endsWith(" experiments")) {
                return "; check the experiment's name or id (runlog experiments lists them) and --store";
            }
            return archive ? "; check the archive's path" : "; check the name or id (runlog runs, runlog models list them) and --store";
        }
        if (e instanceof StoreException) {
            String text = String.valueOf(e.getMessage());
            if (text.startsWith("Could not write archive ")) {
                // The archive's own file system, not the store: the operating system's reason says what is wrong.
                return text.contains("No space left on device") ? "; the disk is full: free some space and export again" : "";
            }
            if (text.contains("the disk holding it is full")) {
                return ""; // the store's own message says so, and what to do
            }
            if (text.contains("SQLITE_FULL") || text.contains("No space left on device") || text.contains("disk is full")
                    || text.contains("SQLITE_IOERR_SHMSIZE")) {
                // Retried as it is, it fails the same: even gc needs a little room to record what it purges.
                return command.endsWith(" copy") ? "; the disk is full: free some space and copy again, into a new store"
                        : "; the disk is full: free some space and try again (gc too needs a little to record its purge)";
            }
            if (text.contains("Upgrade Runlog") || text.contains("can read and write the file and its directory")) {
                return ""; // the message says what to do, and a retry cannot help
            }
            if (text.contains("SQLITE_READONLY") || text.contains("Read-only file system")) {
                return "; this user may not write the store (its file, its directory, or a read-only disk): a retry cannot help";
            }
            return "; if the store was busy or out of reach, try again";
        }
        if (e instanceof IntegrityException) {
            if (command.endsWith(" doctor")) {
                return "; the store is too damaged to check: restore it from a backup";
            }
            return archive ? "; the archive is damaged or not one Runlog wrote, and nothing of it was kept"
                    : "; stored data failed a check, do not retry: runlog doctor lists what is wrong";
        }
        if (e instanceof ConflictException || e instanceof RunlogException) {
            return "";
        }
        return "; rerun with --verbose for the stack trace";
    }

    /**
     * The command line's logging configuration, which {@code java.util.logging} instantiates
     * when it starts ({@code java.util.logging.config.class}): the JDK's default console handler,
     * warnings only.
     */
    public static final class QuietLogging {
        /** Reads the configuration into the log manager, as that property's contract asks. */
        public QuietLogging() throws java.io.IOException {
            java.util.logging.LogManager.getLogManager().readConfiguration(new java.io.ByteArrayInputStream(
                    "handlers=java.util.logging.ConsoleHandler\n.level=WARNING\njava.util.logging.ConsoleHandler.level=INFO\n"
                            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
        }
    }

    /** The version in the jar's manifest, or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = RunlogCli.class.getPackage().getImplementationVersion();
            return new String[] {"runlog " + (version == null ? "(development build)" : version)};
        }
    }
}
