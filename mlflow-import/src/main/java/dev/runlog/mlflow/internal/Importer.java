package dev.runlog.mlflow.internal;

import dev.runlog.mlflow.MlflowImport;
import dev.runlog.mlflow.MlflowImportReport;
import dev.runlog.mlflow.MlflowImportReport.Skipped;
import dev.runlog.registry.ModelEvent;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.RegisteredModel;
import dev.runlog.registry.Stage;
import dev.runlog.registry.spi.ModelSnapshot;
import dev.runlog.registry.spi.RegistryStore;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.LifecycleStage;
import dev.runlog.tracking.RunInfo;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.StoreException;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.ArtifactPaths;
import dev.runlog.tracking.spi.InputRules;
import dev.runlog.tracking.spi.RunSnapshot;
import dev.runlog.tracking.spi.TrackerStores;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes an {@link MlflowSource} into a Runlog store through the import SPI, as
 * {@link dev.runlog.mlflow.MlflowImport} describes: clash check first, then experiments, runs (files,
 * run, points) and models, collecting what it leaves out.
 */
public final class Importer {

    private static final String MLFLOW_PARENT = "mlflow.parentRunId";
    private static final String IMPORTED = "imported from MLflow";

    private final MlflowSource source;
    private final TrackerStores target;
    private final RegistryStore registry;
    private final List<Skipped> skipped = new ArrayList<>();
    private final Map<String, Experiment> experiments = new HashMap<>();
    /** MLflow artifact URIs of the runs that are imported, known before the first write, to turn version sources under them into runs:/ URIs. */
    private final Map<String, String> runArtifactUris = new HashMap<>();
    /** The files of each run to copy, found and checked against Runlog's path rules before the first write. */
    private final Map<String, List<ArtifactFile>> artifactPlans = new HashMap<>();

    private record ArtifactFile(Path file, String path) {
    }
    private long runs;
    private long points;
    private long files;
    private long bytes;
    private long models;
    private long versions;

    private Importer(MlflowSource source, Tracker tracker) {
        this.source = source;
        this.target = TrackerStores.of(tracker);
        this.registry = RegistryStore.of(tracker);
    }

    /** Opens {@code uri} as an MLflow store and imports it into {@code tracker}. */
    public static MlflowImportReport run(String uri, Tracker tracker) {
        try (MlflowSource source = open(uri)) {
            return new Importer(source, tracker).importAll();
        }
    }

    static MlflowSource open(String uri) {
        String lower = uri.toLowerCase(Locale.ROOT);
        if (lower.startsWith("postgresql:") || lower.startsWith("postgresql+")) {
            return SqlSource.postgres(uri);
        }
        Path path;
        if (lower.startsWith("sqlite:")) {
            // MLflow writes sqlite:///relative and sqlite:////absolute; Runlog writes sqlite:PATH.
            String rest = uri.substring("sqlite:".length());
            path = Path.of(rest.startsWith("///") ? rest.substring(3) : rest);
            if (!Files.isRegularFile(path)) {
                throw new InvalidInputException("No MLflow database file at " + path);
            }
            return SqlSource.sqlite(path);
        } else if (lower.startsWith("file:")) {
            path = Path.of(URI.create(uri));
        } else if (uri.matches("[A-Za-z][A-Za-z0-9+.-]+:.*") && !uri.matches("[A-Za-z]:[\\\\/].*")) {
            throw new InvalidInputException("Cannot import from '" + SqlSource.redact(uri) + "': MLflow stores are read"
                    + " from a SQLite file, sqlite:PATH, postgresql://..., or an mlruns/ directory");
        } else {
            path = Path.of(uri);
        }
        if (Files.isDirectory(path)) {
            return new FileStoreSource(path);
        }
        if (!Files.isRegularFile(path)) {
            throw new InvalidInputException("No MLflow store at " + path + ": neither a database file nor an mlruns/ directory");
        }
        return SqlSource.sqlite(path);
    }

    private MlflowImportReport importAll() {
        List<Experiment> all = source.experiments();
        List<String> runIds = source.runIds();
        List<MlflowSource.SourceModel> sourceModels = source.models();
        checkSource(all, sourceModels);
        checkNoClash(all, runIds, sourceModels);
        // Marked unfinished until the last write: an import stopped outright (kill, Ctrl-C) leaves a
        // store that says so, to a second import and to doctor, instead of one that looks whole.
        for (Experiment e : all) {
            Map<String, String> tags = new LinkedHashMap<>(e.tags());
            tags.put(MlflowImport.STATE_TAG, MlflowImport.UNFINISHED);
            target.tracking().importExperiment(new Experiment(e.id(), e.name(), e.lifecycleStage(), e.creationTime(),
                    e.lastUpdateTime(), tags));
            experiments.put(e.id(), e);
        }
        source.forEachRun(this::importRun);
        // The source was read twice (checked, then written): each of its notes once.
        Set<List<String>> noted = new HashSet<>();
        for (String[] note : source.unreadable()) {
            if (noted.add(List.of(note))) {
                skipped.add(new Skipped(note[0], note[1]));
            }
        }
        for (MlflowSource.SourceModel model : sourceModels) {
            ModelSnapshot snapshot = snapshot(model, skipped);
            registry.importModel(snapshot);
            models++;
            versions += snapshot.versions().size();
        }
        for (Experiment e : all) {
            target.tracking().setExperimentTag(e.id(), MlflowImport.STATE_TAG, MlflowImport.FINISHED);
        }
        return new MlflowImportReport(source.describe(), all.size(), runs, points, files, bytes, models, versions,
                skipped);
    }

    /**
     * Reads the whole source once before the first write and checks everything Runlog's rules
     * could refuse while writing: experiments (ids and names, each given once), every run (its
     * names, params, tags and every metric point; malformed files are named by the source with
     * file and line) and every model (name, aliases, version numbers). So a refused import leaves
     * the target as it was, and a run or model that can come across is known before any is
     * written, for the version checks.
     */
    private void checkSource(List<Experiment> all, List<MlflowSource.SourceModel> sourceModels) {
        Map<String, Experiment> byId = new HashMap<>();
        Map<String, String> idsByName = new HashMap<>();
        for (Experiment e : all) {
            String what = "experiment " + e.id();
            refusing(what, () -> {
                RunSnapshot.experimentId(e.id());
                InputRules.name("experiment", e.name());
                e.tags().forEach((k, v) -> InputRules.tagValue(InputRules.key("tag", k), v));
            });
            if (byId.put(e.id(), e) != null) {
                throw new InvalidInputException("The MLflow store has two experiments with id " + e.id()
                        + "; nothing was imported");
            }
            String other = idsByName.put(e.name(), e.id());
            if (other != null) {
                throw new InvalidInputException("The MLflow store has two experiments named '" + e.name() + "' (ids "
                        + other + " and " + e.id() + "); nothing was imported");
            }
        }
        source.forEachRun(run -> {
            Experiment experiment = byId.get(run.experimentId());
            RunSnapshot snapshot;
            try {
                snapshot = experiment == null ? null : snapshot(run, experiment, List.of());
            } catch (InvalidInputException e) {
                return; // reported as skipped when written
            }
            String what = "run " + run.id();
            refusing(what, () -> {
                if (snapshot != null) {
                    InputRules.name("run", snapshot.info().name());
                    snapshot.params().forEach((k, v) -> InputRules.paramValue(InputRules.key("param", k), v));
                    snapshot.tags().forEach((k, v) -> InputRules.tagValue(InputRules.key("tag", k), v));
                }
                source.metrics(run.id(), batch -> batch.forEach(point -> InputRules.key("metric", point.key())));
            });
            if (snapshot != null) {
                runArtifactUris.put(run.id(), run.artifactUri() == null ? "" : run.artifactUri());
                artifactPlans.put(run.id(), planArtifacts(run));
            }
        });
        for (MlflowSource.SourceModel model : sourceModels) {
            Set<Integer> numbers = new HashSet<>();
            for (MlflowSource.SourceVersion v : model.versions()) {
                if (!numbers.add(v.version())) {
                    throw new InvalidInputException("The MLflow store gives version " + v.version() + " of model '"
                            + model.name() + "' twice; nothing was imported");
                }
            }
            refusing("model " + model.name(), () -> snapshot(model, new ArrayList<>()));
        }
    }

    /** Runs {@code check}; a Runlog rule it breaks refuses the whole import, naming {@code what}. */
    private static void refusing(String what, Runnable check) {
        try {
            check.run();
        } catch (InvalidInputException e) {
            String encoding = System.getProperty("sun.jnu.encoding", "UTF-8");
            // A key is a file's name in MLflow's file store: one this JVM cannot decode reads as U+FFFD.
            String locale = e.getMessage().indexOf('\uFFFD') >= 0 && !encoding.equalsIgnoreCase("UTF-8")
                    ? " (this JVM reads file names as " + encoding + ", which turns the other characters of a name into"
                            + " '\uFFFD': run it with a UTF-8 locale, such as LANG=C.UTF-8)" : "";
            throw new InvalidInputException("Cannot import " + what + " of the MLflow store: " + e.getMessage() + locale
                    + "; nothing was imported", e);
        }
    }

    /** Reads the whole source for clashes before the first write, so a refused import leaves the target as it was. */
    private void checkNoClash(List<Experiment> all, List<String> runIds, List<MlflowSource.SourceModel> sourceModels) {
        for (Experiment e : all) {
            RunSnapshot.experimentId(e.id());
            Optional<Experiment> there = target.tracking().getExperiment(e.id());
            if (there.isPresent() && MlflowImport.UNFINISHED.equals(there.get().tags().get(MlflowImport.STATE_TAG))) {
                throw new ConflictException("The target holds an MLflow import that was stopped before it finished"
                        + " (experiment " + e.id() + " is tagged " + MlflowImport.STATE_TAG + "=" + MlflowImport.UNFINISHED
                        + "): it has part of the history only; import into a new store; nothing was imported");
            }
        }
        for (Experiment e : all) {
            Optional<Experiment> there = target.tracking().getExperiment(e.id());
            if (there.isPresent()) {
                throw new ConflictException("The target already has an experiment with id " + e.id() + "; nothing was imported");
            }
            if (target.tracking().getExperimentByName(e.name()).isPresent()) {
                throw new ConflictException("The target already has an experiment named '" + e.name()
                        + "'; nothing was imported");
            }
        }
        for (String id : runIds) {
            if (id.matches("[0-9a-f]{32}") && target.tracking().getRun(id).isPresent()) {
                throw new ConflictException("The target already has a run with id " + id + "; nothing was imported");
            }
        }
        for (MlflowSource.SourceModel model : sourceModels) {
            if (registry.getModel(model.name()).isPresent()) {
                throw new ConflictException("The target already has a registered model named '" + model.name()
                        + "'; nothing was imported");
            }
        }
    }

    private void importRun(MlflowSource.SourceRun run) {
        String id = run.id();
        Experiment experiment = experiments.get(run.experimentId());
        if (experiment == null) {
            skipped.add(new Skipped("run " + id, "its experiment " + run.experimentId() + " is not in the store"));
            return;
        }
        RunInfo checked;
        try {
            checked = snapshot(run, experiment, List.of()).info(); // checked whole before any of its files is written
        } catch (InvalidInputException e) {
            skipped.add(new Skipped("run " + id, e.getMessage()));
            return;
        }
        if (checked.endTime().isPresent() && (run.endTime() == null || run.endTime() < checked.startTime().toEpochMilli())) {
            // An ended run needs an end no earlier than its start; what MLflow recorded is said, not replaced silently.
            skipped.add(new Skipped("end time of run " + id, (run.endTime() == null
                    ? "the MLflow store has none for this " + checked.status() + " run"
                    : "it is " + Instant.ofEpochMilli(run.endTime()) + ", before the run's start")
                    + "; the run is imported ending at its start, " + checked.startTime()));
        }
        if (run.startTime() == null) {
            skipped.add(new Skipped("start time of run " + id, "the MLflow store has none; the run is imported starting at "
                    + (run.endTime() != null ? "its end, " : "its experiment's creation, ") + checked.startTime()));
        }
        // Files first: a reader of the target never sees a run whose recorded files are missing.
        List<ArtifactEntry> copied = copyArtifacts(run);
        target.tracking().importRun(snapshot(run, experiment, copied));
        runs++;
        source.metrics(id, batch -> {
            target.tracking().importMetrics(id, batch);
            points += batch.size();
        });
    }

    private RunSnapshot snapshot(MlflowSource.SourceRun run, Experiment experiment, List<ArtifactEntry> artifacts) {
        RunStatus status;
        try {
            status = RunStatus.valueOf(run.status() == null ? "FINISHED" : run.status().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("its status '" + run.status() + "' is not an MLflow run status");
        }
        Instant start = Instant.ofEpochMilli(run.startTime() != null ? run.startTime()
                : run.endTime() != null ? run.endTime() : experiment.creationTime().toEpochMilli());
        Optional<Instant> end = Optional.empty();
        if (!status.isActive()) {
            // MLflow may record a finished run without an end time, or ending before its start (clock skew).
            Instant recorded = run.endTime() == null ? start : Instant.ofEpochMilli(run.endTime());
            end = Optional.of(recorded.isBefore(start) ? start : recorded);
        }
        boolean experimentDeleted = experiment.lifecycleStage() == LifecycleStage.DELETED;
        boolean deleted = experimentDeleted || SqlSource.stage(run.lifecycleStage()) == LifecycleStage.DELETED;
        Optional<Instant> deletedTime = deleted && !experimentDeleted && run.deletedTime() != null
                ? Optional.of(Instant.ofEpochMilli(run.deletedTime())) : Optional.empty();
        Map<String, String> tags = new LinkedHashMap<>(run.tags());
        if (tags.containsKey(MLFLOW_PARENT)) {
            tags.putIfAbsent(ActiveRun.PARENT_RUN_ID_TAG, tags.get(MLFLOW_PARENT));
        }
        // MLflow's runs.user_id, which Runlog keeps as this tag (attributes.user_id in a filter).
        String user = run.userId() != null && !run.userId().isBlank() ? run.userId() : tags.get("mlflow.user");
        if (user != null && !user.isBlank()) {
            tags.putIfAbsent(ActiveRun.USER_TAG, user);
        }
        String name = run.name() != null && !run.name().isEmpty() ? run.name()
                : tags.getOrDefault("mlflow.runName", run.id());
        RunInfo info = new RunInfo(run.id(), run.experimentId(), name, status, start, end,
                deleted ? LifecycleStage.DELETED : LifecycleStage.ACTIVE, target.artifacts().artifactUri(run.id()));
        return new RunSnapshot(info, run.params(), tags, run.inputs(), artifacts, deleted && experimentDeleted, deletedTime);
    }

    private List<ArtifactEntry> copyArtifacts(MlflowSource.SourceRun run) {
        List<ArtifactEntry> copied = new ArrayList<>();
        for (ArtifactFile planned : artifactPlans.getOrDefault(run.id(), List.of())) {
            try (InputStream in = Files.newInputStream(planned.file())) {
                ArtifactEntry entry = target.artifacts().put(run.id(), planned.path(), in);
                copied.add(entry);
                files++;
                bytes += entry.size();
            } catch (IOException e) {
                throw new StoreException("Cannot read artifact " + planned.file() + " of run " + run.id() + ": " + e.getMessage(), e);
            }
        }
        return copied;
    }

    /**
     * The run's files to copy, each under a path Runlog takes; what cannot come across is listed as
     * skipped, with the reason. Found before the first write: a name the target refused while
     * copying left part of the history imported.
     */
    private List<ArtifactFile> planArtifacts(MlflowSource.SourceRun run) {
        Optional<Path> local = localArtifacts(run);
        if (local.isEmpty()) {
            return List.of();
        }
        Path root = local.get();
        List<Path> found;
        try (Stream<Path> walk = Files.walk(root)) {
            found = walk.filter(p -> !p.equals(root)).sorted().toList();
        } catch (IOException e) {
            throw new StoreException("Cannot list the artifacts of run " + run.id() + " in " + root + ": " + e.getMessage(), e);
        }
        List<ArtifactFile> planned = new ArrayList<>();
        for (Path file : found) {
            List<String> parts = new ArrayList<>();
            root.relativize(file).forEach(part -> parts.add(part.toString()));
            String relative = String.join("/", parts);
            String problem = null;
            if (relative.indexOf('\uFFFD') >= 0) {
                // Bytes the JVM could not decode: two such names read alike, and one file was lost.
                problem = "its name is not text in this JVM's file-name encoding (" + System.getProperty("sun.jnu.encoding")
                        + "): bytes that are not UTF-8, or a JVM not started with a UTF-8 locale (LANG=C.UTF-8)";
            } else if (relative.indexOf('\\') >= 0) {
                // A file name may hold a backslash; read as a separator it could land on another file.
                problem = "its name holds a backslash, which a Runlog artifact path does not take";
            } else if (Files.isSymbolicLink(file)) {
                problem = "a symbolic link is not followed";
            } else if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            } else if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                problem = "it is not a regular file (a FIFO, a socket or a device)";
            } else {
                try {
                    ArtifactPaths.normalize(relative);
                } catch (InvalidInputException e) {
                    problem = e.getMessage();
                }
            }
            if (problem != null) {
                skipped.add(new Skipped("artifact " + relative + " of run " + run.id(), problem));
            } else {
                planned.add(new ArtifactFile(file, relative));
            }
        }
        return planned;
    }

    /** The run's artifact directory when it is local and exists; a remote location is reported as skipped. */
    private Optional<Path> localArtifacts(MlflowSource.SourceRun run) {
        String uri = run.artifactUri() == null ? "" : run.artifactUri();
        Path path = null;
        if (uri.startsWith("file:")) {
            try {
                path = Path.of(URI.create(uri));
            } catch (IllegalArgumentException e) {
                skipped.add(new Skipped("artifacts of run " + run.id(), "its location '" + uri + "' is not a file URI"));
                return Optional.empty();
            }
        } else if (!uri.isEmpty() && !uri.matches("[A-Za-z][A-Za-z0-9+.-]+:.*")) {
            if (source.baseDirectory().isEmpty() && !Path.of(uri).isAbsolute()) {
                skipped.add(new Skipped("artifacts of run " + run.id(), "their location " + uri
                        + " is relative to wherever the MLflow server ran; a server's database does not say where"));
                return Optional.empty();
            }
            path = source.baseDirectory().map(base -> base.resolve(uri)).orElse(Path.of(uri)).normalize();
        } else if (!uri.isEmpty()) {
            if (run.fallbackArtifacts().filter(Files::isDirectory).isPresent()) {
                // Said, not silent: what is at that location may differ from the copy beside the run.
                skipped.add(new Skipped("artifacts of run " + run.id(), "its artifact location " + uri
                        + " is not read; the artifacts/ directory beside the run was imported instead"));
                return run.fallbackArtifacts();
            }
            skipped.add(new Skipped("artifacts of run " + run.id(), "they are at " + uri
                    + "; only local paths and file: locations are read"));
            return Optional.empty();
        }
        if (path != null && linkInside(path).isPresent()) {
            skipped.add(new Skipped("artifacts of run " + run.id(), "their location passes through " + linkInside(path).get()
                    + ", a symbolic link in the MLflow store, which is not followed"));
            return Optional.empty();
        }
        if (path != null && Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of(path);
        }
        if (path != null && Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(path)) {
            // A location that is missing is a run that logged no files (MLflow makes the directory at the first);
            // one that is there but no directory is not, and is said.
            skipped.add(new Skipped("artifacts of run " + run.id(), "their location " + path + " is not a directory"));
            return Optional.empty();
        }
        // The store was moved since MLflow wrote the location: the file store keeps artifacts beside the run.
        Optional<Path> beside = path != null && Files.isSymbolicLink(path) ? Optional.of(path) : run.fallbackArtifacts();
        if (beside.filter(Files::isSymbolicLink).isPresent()) {
            skipped.add(new Skipped("artifacts of run " + run.id(), "their directory " + beside.get()
                    + " is a symbolic link, which is not followed"));
            return Optional.empty();
        }
        Optional<Path> found = beside.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS));
        if (found.isPresent() && path != null && !found.get().equals(path)) {
            // Said, as for a remote location: the files imported are not the ones the location names.
            skipped.add(new Skipped("artifacts of run " + run.id(), "their location " + path
                    + " does not exist; the artifacts/ directory beside the run was imported instead"));
        }
        return found;
    }

    /** The first symbolic link between the store's own directory and {@code path} (not {@code path} itself), when it lies in it. */
    private Optional<Path> linkInside(Path path) {
        Optional<Path> base = source.baseDirectory().map(b -> b.toAbsolutePath().normalize());
        Path target = path.toAbsolutePath().normalize();
        if (base.isEmpty() || !target.startsWith(base.get()) || target.equals(base.get())) {
            return Optional.empty();
        }
        Path at = base.get();
        for (Path part : base.get().relativize(target)) {
            at = at.resolve(part);
            if (!at.equals(target) && Files.isSymbolicLink(at)) { // the location itself a link: said below, as before
                return Optional.of(at);
            }
        }
        return Optional.empty();
    }

    /**
     * The model as Runlog keeps it, its versions that cannot come across noted in {@code notes};
     * made (and so checked whole by {@link ModelSnapshot}) once before any write and once to write.
     */
    private ModelSnapshot snapshot(MlflowSource.SourceModel model, List<Skipped> notes) {
        Instant created = instant(model.creationTime(), Instant.EPOCH);
        Instant updated = instant(model.lastUpdateTime(), created);
        List<ModelEvent> events = new ArrayList<>();
        events.add(event(events, model.name(), 0, ModelEvent.Action.MODEL_CREATED, null, null, null, created));
        Map<Integer, MlflowSource.SourceVersion> kept = new LinkedHashMap<>();
        List<ModelEvent> stages = new ArrayList<>();
        for (MlflowSource.SourceVersion v : model.versions()) {
            String what = "model " + model.name() + " version " + v.version();
            Instant at = instant(v.creationTime(), created);
            events.add(event(events, model.name(), v.version(), ModelEvent.Action.VERSION_REGISTERED, null, null,
                    v.source(), at));
            String reason = versionProblem(v);
            if (reason != null) {
                notes.add(new Skipped(what, reason));
                // Its number stays taken, as in MLflow: the trail shows it registered and deleted.
                events.add(event(events, model.name(), v.version(), ModelEvent.Action.VERSION_DELETED, null, null, null,
                        notBefore(instant(v.lastUpdateTime(), at), at)));
                continue;
            }
            kept.put(v.version(), v);
        }
        Map<String, Integer> aliases = new LinkedHashMap<>();
        model.aliases().forEach((alias, version) -> {
            if (kept.containsKey(version)) {
                aliases.put(alias, version);
            } else {
                notes.add(new Skipped("alias " + alias + " of model " + model.name(),
                        "version " + version + " it points to is not imported"));
            }
        });
        List<ModelVersion> versionList = new ArrayList<>();
        for (MlflowSource.SourceVersion v : kept.values()) {
            Stage stage = Stage.parse(v.stage() == null || v.stage().isEmpty() ? "None" : v.stage());
            Instant at = instant(v.creationTime(), created);
            Instant changed = notBefore(instant(v.lastUpdateTime(), at), at);
            if (stage != Stage.NONE) {
                stages.add(new ModelEvent(0, model.name(), v.version(), ModelEvent.Action.STAGE_CHANGED, null,
                        Stage.NONE.toString(), stage.toString(), changed, "", IMPORTED));
            }
            List<String> pointing = aliases.entrySet().stream().filter(a -> a.getValue() == v.version())
                    .map(Map.Entry::getKey).toList();
            String source = runsUri(v);
            if (!source.startsWith("runs:/")) {
                // Kept, as MLflow recorded it, but said: Runlog loads a version from its run's artifacts only.
                notes.add(new Skipped("source of version " + v.version() + " of model " + model.name(), "'" + source
                        + "' is not under the artifacts of its run; kept as written, and Runlog cannot load the version from it"));
            }
            versionList.add(new ModelVersion(model.name(), v.version(), source, v.runId(), ModelVersion.Status.READY,
                    stage, v.description(), v.userId(), at, changed, v.tags(), pointing, Optional.empty()));
        }
        for (ModelEvent e : stages) {
            events.add(event(events, e.model(), e.version(), e.action(), null, e.from(), e.to(), e.time()));
        }
        aliases.forEach((alias, version) -> events.add(event(events, model.name(), version, ModelEvent.Action.ALIAS_SET,
                alias, null, Integer.toString(version), notBefore(updated, instant(kept.get(version).creationTime(), created)))));
        return new ModelSnapshot(new RegisteredModel(model.name(), model.description(), created, updated,
                model.tags(), aliases), versionList, inTimeOrder(events));
    }

    /**
     * MLflow keeps no audit trail, so the import writes one from the times it does keep; in the
     * order they happened, numbered from 1: the model's creation first, then by time, events at
     * the same instant in the order written (a version is registered before it changes).
     */
    private static List<ModelEvent> inTimeOrder(List<ModelEvent> events) {
        List<ModelEvent> sorted = new ArrayList<>(events.subList(1, events.size()));
        sorted.sort(Comparator.comparing(ModelEvent::time)); // stable
        sorted.add(0, events.get(0));
        List<ModelEvent> numbered = new ArrayList<>(sorted.size());
        for (ModelEvent e : sorted) {
            numbered.add(new ModelEvent(numbered.size() + 1, e.model(), e.version(), e.action(), e.alias(), e.from(),
                    e.to(), e.time(), e.user(), e.comment(), e.gates()));
        }
        return numbered;
    }

    /** Why a version cannot be imported, or null when it can. */
    private String versionProblem(MlflowSource.SourceVersion v) {
        if ("Deleted_Internal".equalsIgnoreCase(v.stage())) {
            return "MLflow deleted it";
        }
        if (v.status() != null && !v.status().isEmpty() && !v.status().equalsIgnoreCase("READY")) {
            return "its status is " + v.status() + ", not READY";
        }
        if (v.source() != null && v.source().startsWith("models:/")) {
            return "its source " + v.source() + " is an MLflow 3 logged model, which the import does not bring"
                    + " (its files stay in the MLflow store)";
        }
        if (v.runId() == null || v.runId().isEmpty()) {
            return "it names no source run (source " + v.source() + ")";
        }
        if (!runArtifactUris.containsKey(v.runId())) {
            return "its source run " + v.runId() + " is not in the imported store";
        }
        try {
            Stage.parse(v.stage() == null || v.stage().isEmpty() ? "None" : v.stage());
        } catch (InvalidInputException e) {
            return e.getMessage();
        }
        return null;
    }

    /**
     * A source under its run's artifact location as runs:/RUN/PATH, the URI Runlog resolves; else
     * MLflow's as it was. Local ones are compared as paths, a relative one resolved as the run's
     * artifacts are (against the SQLite file's or {@code mlruns/}'s directory): {@code file:///a},
     * {@code file:/a}, {@code /a} and a relative spelling of the same directory are one location,
     * and a trailing slash is no part of it. Remote ones ({@code s3://...}) are compared as text.
     */
    private String runsUri(MlflowSource.SourceVersion v) {
        String source = v.source() == null ? "" : v.source();
        String location = runArtifactUris.get(v.runId());
        if (location == null || location.isEmpty()) {
            return source;
        }
        Optional<Path> locationPath = localPath(location);
        Optional<Path> sourcePath = localPath(source);
        if (locationPath.isPresent() || sourcePath.isPresent()) {
            if (locationPath.isPresent() && sourcePath.isPresent() && sourcePath.get().startsWith(locationPath.get())
                    && !sourcePath.get().equals(locationPath.get())) {
                StringBuilder under = new StringBuilder();
                for (Path part : locationPath.get().relativize(sourcePath.get())) {
                    under.append(under.length() == 0 ? "" : "/").append(part);
                }
                return "runs:/" + v.runId() + "/" + under;
            }
            return source;
        }
        String remote = withoutTrailingSlashes(location);
        String path = withoutTrailingSlashes(source);
        if (path.startsWith(remote + "/") && path.length() > remote.length() + 1) {
            return "runs:/" + v.runId() + "/" + path.substring(remote.length() + 1);
        }
        return source;
    }

    /** A {@code file:} URI or a plain path as a normalized path, a relative one against the store's directory; empty for a remote URI. */
    private Optional<Path> localPath(String location) {
        String path = location.startsWith("file://") ? location.substring(7)
                : location.startsWith("file:") ? location.substring(5)
                : location.matches("[A-Za-z][A-Za-z0-9+.-]+:.*") ? null : location;
        if (path == null || path.isEmpty()) {
            return Optional.empty();
        }
        try {
            Path local = Path.of(path);
            return Optional.of((local.isAbsolute() ? local : source.baseDirectory().map(base -> base.resolve(local)).orElse(local))
                    .toAbsolutePath().normalize());
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    private static String withoutTrailingSlashes(String location) {
        String path = location;
        while (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path;
    }

    private static ModelEvent event(List<ModelEvent> so, String model, int version, ModelEvent.Action action,
                                    String alias, String from, String to, Instant time) {
        return new ModelEvent(so.size() + 1, model, version, action, alias, from, to, time, "", IMPORTED);
    }

    private static Instant instant(Long millis, Instant otherwise) {
        return millis == null ? otherwise : Instant.ofEpochMilli(millis);
    }

    /**
     * MLflow's last-update time of a version, as the time of what changed it, but never before the
     * version was registered: a hand-edited or clock-skewed store would otherwise give a trail in
     * which a version changes stage before it exists.
     */
    private static Instant notBefore(Instant time, Instant earliest) {
        return time.isBefore(earliest) ? earliest : time;
    }
}
