package dev.runlog.tracking;

import java.nio.file.Path;
import java.util.Map;

/**
 * A run that is going on: the handle training code logs through. Every log method returns this run
 * so calls chain, and the run is {@link AutoCloseable} so try-with-resources ends it.
 *
 * <pre>{@code
 * tracker.run("iris", run -> {               // FINISHED when it returns, FAILED when it throws
 *     run.logParam("lr", 0.1).logParam("l2", 1e-4);
 *     for (int epoch = 0; epoch < 200; epoch++) {
 *         run.logMetric("loss", loss, epoch);
 *     }
 * });
 * }</pre>
 *
 * <p><b>Ending:</b> prefer {@link Tracker#run(String, RunBody)} (or {@link RunBuilder#run(RunBody)}),
 * which records an exception thrown by the training code as FAILED. Try-with-resources cannot: Java
 * gives {@link #close()} no sight of the exception leaving the block, so a crash inside
 * {@code try (ActiveRun run = ...) { ... }} is recorded FINISHED unless the block catches it and
 * calls {@link #fail(Throwable)}:
 *
 * <pre>{@code
 * try (ActiveRun run = tracker.startRun("iris")) {
 *     try {
 *         train(run);
 *     } catch (Throwable e) {
 *         run.fail(e);                           // FAILED, with the exception's class and message as tags
 *         throw e;
 *     }
 * }
 * }</pre>
 *
 * <p><b>Thread safety:</b> every method may be called from any thread, concurrently.
 *
 * <p><b>Metrics</b> are asynchronous by default ({@link Durability#ASYNC}): {@code logMetric}
 * hands the point to a background writer and returns without waiting for I/O. {@link #flush()},
 * {@link #end(RunStatus)} and {@link #close()} return only when every point logged before them is
 * stored. If the store fails, the failure is thrown by the next {@code flush}, {@code end},
 * {@code close} or {@code logMetric} call of any run of the tracker; the points stay buffered and
 * are written once the store works again. While the store keeps failing, {@code logMetric} goes on
 * buffering without throwing again until the buffer is full; a {@code logMetric} call waiting for
 * room then throws the {@link StoreException} of the next failed retry, and <em>its</em> point is
 * not buffered (the message says so). {@code flush}, {@code end} and {@code close} retry at once
 * and throw if that retry fails, so none of them waits forever on a failing store.
 *
 * <p><b>Params and tags</b> are written before the call returns, so a conflicting param fails at
 * the line that logged it.
 *
 * <p><b>Keys</b> of params, metrics and tags are at most 250 characters of letters, digits and
 * {@code _ - . / space}; {@code /} separates segments, which may not be empty, {@code .} or
 * {@code ..}, and a key may not start with {@code /}. Param values are at most 6,000 characters,
 * tag values at most 8,000. A key or value that breaks a rule is rejected with an
 * {@link InvalidInputException} naming it, never truncated.
 *
 * <p><b>A logged model is immutable.</b> Every method that writes artifacts ({@code logArtifact},
 * {@code logArtifacts}, {@code logText}, {@code logJson}, {@code logModel}) fails with a
 * {@link ConflictException} naming the path, before writing anything, when the path is a logged
 * model's directory or lies under one; {@code logModel} also fails where a model would contain a
 * logged model. A directory holds a logged model once its {@code MLmodel.json} is recorded. A
 * model under another path is fine.
 */
public interface ActiveRun extends AutoCloseable {

    /** The tag {@link #fail(Throwable)} sets to the exception's class name. */
    String FAILURE_EXCEPTION_TAG = "runlog.failure.exception";

    /**
     * The tag {@link #fail(Throwable)} sets to the exception's message (absent when the message is
     * null), cut to the 8,000-character tag value limit.
     */
    String FAILURE_MESSAGE_TAG = "runlog.failure.message";

    /**
     * The system tag every run gets at start: the user running the process. The search attribute
     * {@code user_id} is this tag's value, in every store.
     */
    String USER_TAG = "runlog.user";

    /** The system tag every run gets at start: the main class of the training code. */
    String SOURCE_NAME_TAG = "runlog.source.name";

    /**
     * The system tag every run gets at start, when the code runs in a git work tree: the commit
     * (MLflow's {@code mlflow.source.git.commit}). The {@code runlog.source.*}, {@code runlog.java.*},
     * {@code runlog.os} and {@code runlog.host} tags are computed once per process, at its first run.
     */
    String GIT_COMMIT_TAG = "runlog.source.git.commit";

    /**
     * The system tag every run gets at start, in a git work tree: {@code true} when a tracked file
     * differs from the index (git's staging area) or the index from the commit checked out,
     * {@code false} when none does: what {@code git status} shows of tracked files. Read from the
     * files under {@code .git}, once per process at its first run: a file counts as changed when it
     * is gone, changed size, type or executable bit (unless {@code core.filemode} is false), or (its
     * modification time differing from the index's) no longer hashes to the index's blob id; an
     * unmerged path and a change staged but not committed count too. Untracked files do not (as
     * with {@code git describe --dirty}).
     */
    String GIT_DIRTY_TAG = "runlog.source.git.dirty";

    /** The system tag every run gets at start, in a git work tree on a branch: the branch ({@code main}). */
    String GIT_BRANCH_TAG = "runlog.source.git.branch";

    /** The system tag every run gets at start: the JVM's {@code java.version}. */
    String JAVA_VERSION_TAG = "runlog.java.version";

    /** The system tag every run gets at start: the JVM's {@code java.vendor}. */
    String JAVA_VENDOR_TAG = "runlog.java.vendor";

    /** The system tag every run gets at start: the operating system's name, version and architecture. */
    String OS_TAG = "runlog.os";

    /** The system tag every run gets at start: the host's name. */
    String HOST_TAG = "runlog.host";

    /**
     * The system tag every run gets at start: the main class (or jar) and the program's arguments
     * as the JVM recorded them ({@code sun.java.command}; not the JVM's options nor its class path),
     * with the credentials of a URI among them ({@code user:secret@}, {@code password=}) hidden.
     */
    String COMMAND_LINE_TAG = "runlog.source.command";

    /** The system tag of a child run: its parent's run id. */
    String PARENT_RUN_ID_TAG = "runlog.parentRunId";

    /** The run id: 32 lowercase hex characters. */
    String id();

    /** The id of the experiment this run belongs to. */
    String experimentId();

    /** The run's name as it started, given or generated ({@link Tracker#renameRun} does not change this answer). */
    String name();

    /**
     * Logs a param: a setting of the run, such as a learning rate. The value is stored as
     * {@link String#valueOf(Object)}. Logging the same key again with the same value is allowed;
     * with a different value it fails with {@link ParamConflictException}.
     */
    ActiveRun logParam(String key, Object value);

    /** Logs several params at once, all or none. Same rules as {@link #logParam}. */
    ActiveRun logParams(Map<String, ?> params);

    /** Logs a metric point at step 0. */
    ActiveRun logMetric(String key, double value);

    /**
     * Logs a metric point at a step, timestamped now by the tracker's clock. Metrics are
     * append-only series: logging the same key and step again adds a point, it does not replace.
     *
     * @throws StoreException reporting a store failure of the background writer once (this point
     *         is then not taken), or when the buffer is full and a retry fails while this call
     *         waits for room (this point is then not buffered either)
     */
    ActiveRun logMetric(String key, double value, long step);

    /**
     * Logs one point per entry, all at the same step and timestamp, each as {@link #logMetric}
     * would: not all or none. Every key and value is checked before any point is taken; a store
     * failure that {@code logMetric} would report is thrown at the point that meets it, and the
     * points before that one stay buffered. A value is taken as its {@code doubleValue()}; one
     * beyond a double's range (a {@code BigDecimal} of {@code 1e400}) is refused, not stored as
     * infinity.
     */
    ActiveRun logMetrics(Map<String, ? extends Number> metrics, long step);

    /** Sets a tag; unlike a param, a tag may be set again to a new value. */
    ActiveRun setTag(String key, String value);

    /** Copies a file into the root of the run's artifacts, under its own file name. */
    ActiveRun logArtifact(Path file);

    /**
     * Copies a file into the run's artifacts under {@code artifactDir} (a relative path with
     * {@code /} separators, created as needed), under its own file name.
     */
    ActiveRun logArtifact(Path file, String artifactDir);

    /**
     * Copies every file of a directory tree into the run's artifacts under {@code artifactDir}
     * ({@code ""} for the root), keeping the tree's layout. A symbolic link in the tree is refused
     * rather than followed.
     */
    ActiveRun logArtifacts(Path directory, String artifactDir);

    /** Stores {@code text} as UTF-8 in the artifact file {@code artifactPath}, such as {@code "notes/summary.md"}. */
    ActiveRun logText(String text, String artifactPath);

    /** Stores {@code value} as JSON (written by Jackson) in the artifact file {@code artifactPath}. */
    ActiveRun logJson(Object value, String artifactPath);

    /**
     * Records that the run used {@code dataset} in the role {@code context} ({@code "training"},
     * {@code "validation"}, ...). The dataset is stored once however many runs use it.
     */
    ActiveRun logInput(Dataset dataset, String context);

    /**
     * Logs a model under {@code artifactPath}, choosing its flavor by type: a {@link Path} is
     * stored as {@code files}, anything else as {@code json}. The model directory holds the
     * payload and an {@code MLmodel.json} descriptor with the payload's size and SHA-256. The
     * descriptor is written after the payload, so a write cut short leaves no model to load.
     *
     * @return the logged model, whose {@link LoggedModel#uri()} is {@code runs:/<runId>/<artifactPath>}
     * @throws ConflictException if a model is logged at {@code artifactPath}, above it or below it
     */
    LoggedModel logModel(String artifactPath, Object model);

    /** Logs a model in the given flavor, such as {@link ModelFlavor#javaSerialized(String...)}. */
    LoggedModel logModel(String artifactPath, Object model, ModelFlavor flavor);

    /** Logs a model with options: a flavor, a signature, an input example, metadata. */
    LoggedModel logModel(String artifactPath, Object model, ModelOptions options);

    /**
     * Starts a child run in the same experiment, tagged {@code runlog.parentRunId} with this run's
     * id: the shape of a hyperparameter sweep.
     */
    ActiveRun startChildRun(String name);

    /**
     * Returns once every metric point logged before this call, by any thread, is stored.
     *
     * @throws StoreException if the store failed (a failure not reported yet, or a retry made
     *         during this call); the points stay buffered and are retried
     */
    ActiveRun flush();

    /**
     * Flushes, then ends the run with {@code status} (normally FINISHED, FAILED or KILLED). The run
     * takes no writes afterwards.
     *
     * @throws RunNotActiveException if the run has already ended
     */
    void end(RunStatus status);

    /**
     * Records that the training code failed: flushes, sets the tags {@value #FAILURE_EXCEPTION_TAG}
     * (the class name of {@code cause}) and {@value #FAILURE_MESSAGE_TAG} (its message, if it has
     * one, cut to the tag value limit), then ends the run FAILED. It does not rethrow
     * {@code cause}.
     *
     * @throws InvalidInputException if {@code cause} is null
     * @throws RunNotActiveException if the run has already ended or is deleted
     */
    void fail(Throwable cause);

    /**
     * Flushes, then ends the run as FINISHED unless it has already ended.
     *
     * <p>{@code close()} cannot see an exception thrown in a try-with-resources block: a crash inside
     * {@code try (ActiveRun run = ...) { ... }} is recorded FINISHED unless the block catches it and
     * calls {@link #fail(Throwable)} or {@link #end(RunStatus) end(FAILED)} before the run closes.
     * {@link Tracker#run(String, RunBody)} does this for you.
     */
    @Override
    void close();
}
