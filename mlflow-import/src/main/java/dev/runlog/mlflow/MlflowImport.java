package dev.runlog.mlflow;

import dev.runlog.mlflow.internal.Importer;
import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.InputRules;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Brings an existing MLflow store into a Runlog store, whole:
 *
 * <pre>{@code
 * try (Tracker tracker = Tracker.open("sqlite:runlog.db")) {
 *     MlflowImportReport report = MlflowImport.from("mlflow.db").into(tracker).run();
 *     System.out.println(report);
 * }
 * }</pre>
 *
 * <p>The source is an MLflow tracking database, read with MLflow's documented schema: a SQLite file
 * ({@code mlflow.db}, {@code sqlite:PATH} or MLflow's {@code sqlite:///PATH}), opened read-only, or
 * {@code postgresql://user[:password]@host[:port]/database} (with the PostgreSQL JDBC driver on the
 * class path); or a file store, an {@code mlruns/} directory (or {@code file:} URI). It brings
 * experiments with their tags; runs with their ids, names, times, statuses, lifecycle (deleted runs
 * stay deleted), params, tags, dataset inputs (from databases) and every metric point, NaN
 * included; a child run's {@code mlflow.parentRunId} tag is also set as
 * {@code runlog.parentRunId}, so Runlog sees the nesting; the artifact files of runs whose
 * artifact location is a local path or {@code file:} URI (a relative one resolved against the
 * SQLite file's directory, or the directory holding {@code mlruns/}; a PostgreSQL database's relative
 * locations are reported, since where its server ran is unknown); and the registry: models with
 * their descriptions, tags and aliases, versions with their numbers, stages, descriptions, users and
 * tags, and an audit trail made from what MLflow recorded (created, registered, current stage,
 * aliases), each event's comment saying it was imported.
 *
 * <p>What it cannot bring is reported, not guessed: artifacts on remote locations ({@code s3://},
 * {@code mlflow-artifacts:}, ...), a version whose run is not in the store or that MLflow had
 * deleted (its number stays taken), an alias of such a version, a run whose experiment is missing.
 * A finished run MLflow recorded without an end time is given its start time as its end; runs in a
 * deleted experiment are deleted with it.
 *
 * <p>Before writing anything it reads the whole source (every run and metric point) and checks it:
 * names, keys and values by Runlog's rules, every metric line, experiment ids and names, run ids and
 * version numbers each given once, and model names and aliases by the registry's rules; anything
 * refused throws {@link InvalidInputException} naming it (a file and line where the source is
 * files). Then it checks that no experiment id or name, run id or model name of the source is taken
 * in the target, else throws {@link ConflictException} naming it. Either way the target is left
 * untouched. Then each experiment, run (files first, then the run, then its points) and model is
 * written through the store's import SPI; only a failure of the target itself part way (a full disk,
 * a lost connection) leaves what was written before it, as with {@code StoreCopy}: import into a
 * store made for the purpose. The source is read twice and never written. Instances are immutable.
 */
public final class MlflowImport {
    /**
     * The tag each imported experiment carries: {@link #UNFINISHED} from its first write until the
     * import's last, then {@link #FINISHED}. An experiment still {@code unfinished} belongs to an
     * import that was stopped outright (kill, Ctrl-C): the store holds part of that history.
     */
    public static final String STATE_TAG = "runlog.mlflowImport";
    /** {@link #STATE_TAG}'s value while the import runs, and after one that was stopped. */
    public static final String UNFINISHED = "unfinished";
    /** {@link #STATE_TAG}'s value once the import has written everything. */
    public static final String FINISHED = "finished";

    private final String source;
    private final Tracker target;

    private MlflowImport(String source, Tracker target) {
        this.source = source;
        this.target = target;
    }

    /**
     * An import from the MLflow store {@code source}: a path to a SQLite database file or an
     * {@code mlruns/} directory, {@code sqlite:PATH}, {@code sqlite:///PATH}, {@code file:} URI or
     * {@code postgresql://...} URI. Nothing is opened until {@link #run()}.
     *
     * @throws InvalidInputException if {@code source} is null or blank
     */
    public static MlflowImport from(String source) {
        InputRules.notNull("source", source);
        if (source.isBlank()) {
            throw new InvalidInputException("The MLflow store to import from is blank");
        }
        return new MlflowImport(source, null);
    }

    /** As {@link #from(String)} with a database file or {@code mlruns/} directory. */
    public static MlflowImport from(Path source) {
        return from(InputRules.notNull("source", source).toString());
    }

    /** This import into {@code tracker}'s store (and its registry). */
    public MlflowImport into(Tracker tracker) {
        return new MlflowImport(source, InputRules.notNull("tracker", tracker));
    }

    /** The MLflow store, as given to {@link #from(String)}. */
    public String source() {
        return source;
    }

    /** The tracker imported into, once {@link #into} named it. */
    public Optional<Tracker> target() {
        return Optional.ofNullable(target);
    }

    /**
     * Reads the MLflow store and writes it into the target.
     *
     * @return what was imported and what was skipped and why
     * @throws InvalidInputException         if no target was given, the source does not exist, is not an
     *                                       MLflow store, is damaged (a malformed {@code meta.yaml}, named
     *                                       with its line) or its scheme is not supported
     * @throws ConflictException             naming an experiment id or name, run id or model name of the
     *                                       source taken in the target; nothing was written then
     * @throws dev.runlog.tracking.StoreException if a store fails while reading or writing
     */
    public MlflowImportReport run() {
        if (target == null) {
            throw new InvalidInputException("Name the tracker to import into: MlflowImport.from(..).into(tracker).run()");
        }
        return Importer.run(source, target);
    }
}
