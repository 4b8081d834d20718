package dev.runlog.cli;

import dev.runlog.mlflow.MlflowImport;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.StoreCopy;
import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.RunlogException;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.ViewType;
import dev.runlog.tracking.spi.Purge;
import dev.runlog.tracking.spi.Sha256;
import dev.runlog.tracking.spi.StoreCheck;
import dev.runlog.tracking.spi.TrackerStores;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** gc and doctor: a store's housekeeping and health, through the store SPI the tracker was opened with. */
final class HealthCommands {
    private HealthCommands() {
    }

    /** The run ids of every registered model version: gc never purges a run whose model is registered. */
    private static Set<String> registeredRuns(ModelRegistry registry) {
        return registry.searchVersions("").stream().map(ModelVersion::runId).collect(Collectors.toSet());
    }

    /** "30d", "12h", "45m", "90s", "0": how long ago a run must have been deleted for gc. */
    static final class Age implements CommandLine.ITypeConverter<Duration> {
        static final Duration MAX_AGE = Duration.ofDays(36_500);
        private static final Pattern AGE = Pattern.compile("(\\d{1,12})([dhms]?)");

        @Override
        public Duration convert(String text) {
            Matcher m = AGE.matcher(text.strip().toLowerCase(Locale.ROOT));
            if (!m.matches() || (m.group(2).isEmpty() && !m.group(1).equals("0"))) {
                throw new CommandLine.TypeConversionException("'" + text + "' is not an age such as 30d, 12h, 45m, 90s or 0");
            }
            long n = Long.parseLong(m.group(1));
            Duration age = switch (m.group(2)) {
                case "d" -> Duration.ofDays(n);
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                case "s" -> Duration.ofSeconds(n);
                default -> Duration.ZERO;
            };
            // Further back than any run: the cutoff printed as a year of the first millennium, or BC.
            if (age.compareTo(MAX_AGE) > 0) {
                throw new CommandLine.TypeConversionException("'" + text + "' is older than any run could be; the"
                        + " largest age is " + MAX_AGE.toDays() + "d (100 years)");
            }
            return age;
        }
    }

    @Command(name = "gc", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Purge for good the runs and experiments deleted long enough ago, with their metric points and"
                    + " artifact files; remove temporary files of dead writers; compact the store.",
                    "Runs whose models are registered are kept. Says what it freed; exits 1 if a file could not be deleted."})
    static final class Gc extends FormattedCommand {
        /**
         * When not one of the runs to purge that recorded files has any in the artifact store, nor
         * any of a few other runs that recorded files, the store's files are most likely elsewhere
         * (a disk not mounted, a directory moved without its database): purged now, their files
         * would stay for good once they are back, named for no run. Files deleted by hand from the
         * runs to purge, while other runs' files are there, are no reason to stop.
         */
        private static void refuseMissingArtifactStore(Tracker tracker, TrackerStores stores, Purge planned) {
            int withFiles = 0;
            for (String run : planned.runIds()) {
                if (hasFilesRecorded(stores, run)) {
                    withFiles++;
                    if (!stores.artifacts().list(run, "").isEmpty()) {
                        return;
                    }
                }
            }
            if (withFiles == 0) {
                return;
            }
            Set<String> candidates = new HashSet<>(planned.runIds());
            try (Stream<Run> others = tracker.searchRuns().viewType(ViewType.ALL).stream()) {
                boolean mounted = others.map(run -> run.info().id()).filter(id -> !candidates.contains(id))
                        .filter(id -> hasFilesRecorded(stores, id)).limit(20)
                        .anyMatch(id -> !stores.artifacts().list(id, "").isEmpty());
                if (mounted) {
                    return;
                }
            }
            throw new RunlogException("none of the " + count(withFiles, "run") + " to purge that recorded files, nor any"
                    + " other run, has any in the artifact store (is its disk mounted, or was the store moved without its"
                    + " artifacts?), so gc purged nothing: their files would stay behind for good; runlog doctor lists them");
        }

        private static boolean hasFilesRecorded(TrackerStores stores, String runId) {
            return stores.tracking().recordedArtifacts(runId).stream().anyMatch(entry -> !entry.isDirectory());
        }

        /**
         * A purge deletes for good, and on a damaged store it can delete files and then fail (the
         * compaction meeting the damage read as a full disk): the store's own check comes first,
         * and a store with problems is left as it is.
         */
        private static void refuseDamagedStore(TrackerStores stores) {
            List<String> problems;
            try {
                problems = stores.tracking().checkStore().problems();
            } catch (RunlogException e) {
                problems = List.of(String.valueOf(e.getMessage()));
            }
            if (!problems.isEmpty()) {
                throw new RunlogException("the store's own check found " + count(problems.size(), "problem") + " ("
                        + problems.get(0) + (problems.size() > 1 ? "; runlog doctor lists all" : "")
                        + "), so gc purged nothing: a purge cannot be undone; restore a backup, or copy what still"
                        + " reads into a new store with runlog copy");
            }
        }

        @Option(names = "--older-than", paramLabel = "AGE", defaultValue = "30d", converter = Age.class,
                description = "Deleted at least this long ago: 30d, 12h, 45m, 90s, 0 (all). Default: ${DEFAULT-VALUE}.")
        Duration olderThan;

        @Option(names = "--dry-run", description = "Say what would be purged; change nothing.")
        boolean dryRun;


        @Override
        public Integer run() {
            Tracker tracker = ctx().tracker();
            TrackerStores stores = TrackerStores.of(tracker);
            // In a dry run too: it says what gc would do, a refusal included.
            refuseDamagedStore(stores);
            Set<String> keep = registeredRuns(ctx().registry());
            Instant cutoff = ctx().clock.instant().minus(olderThan);
            long artifactBytes = 0;
            List<String> problems = new ArrayList<>();
            // Runs an earlier gc purged but whose files it did not delete (it was killed, or a file was refused).
            List<String> leftover = stores.tracking().pendingArtifactDeletions();
            Purge purge;
            if (dryRun) {
                purge = stores.tracking().purgeDeleted(cutoff, keep, true);
                refuseMissingArtifactStore(tracker, stores, purge);
                for (String run : purge.runIds()) {
                    artifactBytes += stores.tracking().recordedArtifacts(run).stream().mapToLong(ArtifactEntry::size).sum();
                }
            } else {
                refuseMissingArtifactStore(tracker, stores, stores.tracking().purgeDeleted(cutoff, keep, true));
                purge = stores.tracking().purgeDeleted(cutoff, keep, false);
                purge.compactionProblem().ifPresent(why -> problems.add("the purge is done, but compacting the store failed (it"
                        + " needs free space about the size of the store, and a later gc compacts it; if the disk is not"
                        + " full, run runlog doctor): " + why));
                Set<String> runs = new LinkedHashSet<>(leftover);
                runs.addAll(purge.runIds());
                int done = 0;
                for (String run : runs) {
                    try {
                        artifactBytes += stores.artifacts().deleteRunArtifacts(run);
                        stores.tracking().artifactsDeleted(run);
                    } catch (RunlogException e) {
                        problems.add("artifacts of purged run " + run + " not deleted (the next gc tries again): "
                                + e.getMessage());
                    }
                    if (++done % 100 == 0) {
                        ctx().progress("deleted the artifacts of " + done + " of " + runs.size() + " runs");
                    }
                }
                ctx().progressDone();
            }
            int temporary = dryRun ? 0 : stores.artifacts().removeTemporaryFilesOfDeadProcesses();
            long keptRuns;
            try (Stream<Run> deleted = tracker.searchRuns().viewType(ViewType.DELETED_ONLY).stream()) {
                keptRuns = deleted.filter(run -> keep.contains(run.info().id())).count();
            }
            if (format == Format.JSON) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("dry_run", dryRun);
                json.put("deleted_before", cutoff.toEpochMilli());
                json.put("runs", purge.runIds());
                json.put("experiments", purge.experimentIds());
                json.put("leftover_runs", leftover);
                json.put("artifact_bytes", artifactBytes);
                json.put("temporary_files", temporary);
                json.put("bytes_reclaimed", purge.bytesReclaimed());
                json.put("kept_registered_runs", keptRuns);
                json.put("problems", problems);
                ctx().out.println(Text.json(json));
            } else {
                report(purge, leftover, cutoff, artifactBytes, temporary, keptRuns, problems);
            }
            return problems.isEmpty() ? 0 : RunlogCli.FAILED;
        }

        private void report(Purge purge, List<String> leftover, Instant cutoff, long artifactBytes, int temporary, long keptRuns,
                List<String> problems) {
            var out = ctx().out;
            String what = count(purge.runIds().size(), "run") + " and " + count(purge.experimentIds().size(), "experiment")
                    + " deleted before " + Text.date(cutoff, ctx().clock);
            if (dryRun) {
                out.println("would purge " + what + ", with " + Text.size(artifactBytes) + " of artifacts (dry run: nothing changed)");
                purge.runIds().forEach(id -> out.println("  run " + id));
                purge.experimentIds().forEach(id -> out.println("  experiment " + id));
                if (!leftover.isEmpty()) {
                    out.println("would delete the files an earlier gc left of " + count(leftover.size(), "purged run"));
                    leftover.forEach(id -> out.println("  run " + id));
                }
            } else {
                out.println("purged " + what);
                if (!leftover.isEmpty()) {
                    out.println("deleted the files an earlier gc left of " + count(leftover.size(), "purged run"));
                }
                out.println("freed " + Text.size(artifactBytes) + " of artifacts and " + count(temporary, "temporary file")
                        + "; compacting the store gave back " + Text.size(purge.bytesReclaimed()));
            }
            if (keptRuns > 0) {
                out.println("kept " + count(keptRuns, "deleted run") + " whose models are registered");
            }
            problems.forEach(problem -> ctx().err.println(Text.visible("runlog: " + problem)));
        }
    }

    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    @Command(name = "doctor", mixinStandardHelpOptions = true,
            description = {"Check a store: its own integrity check and schema, runs left by dead processes,"
                    + " every artifact file against its recorded SHA-256, every registered version against its model's digest.",
                    "Read-only. Exits 1 when something is wrong."})
    static final class Doctor extends FormattedCommand {

        record Check(String name, String summary, List<String> problems) {
        }

        @Override
        public Integer run() {
            Tracker tracker = ctx().tracker();
            TrackerStores stores = TrackerStores.of(tracker);
            List<Check> checks = new ArrayList<>();
            checks.add(attempt("store", () -> {
                StoreCheck store = stores.tracking().checkStore();
                return new Check("store", store.description(), store.problems());
            }));
            checks.add(attempt("runs", () -> runs(tracker)));
            Map<String, List<String>> damaged = new HashMap<>();
            checks.add(attempt("artifacts", () -> artifacts(tracker, stores, damaged)));
            checks.add(attempt("models", () -> models(ctx().registry(), damaged)));
            boolean healthy = checks.stream().allMatch(c -> c.problems().isEmpty());
            if (format == Format.JSON) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("healthy", healthy);
                json.put("checks", checks.stream().map(c -> {
                    Map<String, Object> check = new LinkedHashMap<>();
                    check.put("check", c.name());
                    check.put("summary", c.summary());
                    check.put("problems", c.problems());
                    return (Object) check;
                }).toList());
                ctx().out.println(Text.json(json));
            } else {
                Text.Table table = new Text.Table("check", "result", "summary");
                for (Check c : checks) {
                    table.row(c.name(), c.problems().isEmpty() ? "ok" : count(c.problems().size(), "problem"), c.summary());
                }
                table.color(1, result -> result.equals("ok") ? GREEN : RED);
                table.print(ctx().out, ctx().color);
                for (Check c : checks) {
                    c.problems().forEach(problem -> ctx().out.println(Text.visible(c.name() + ": " + problem)));
                }
                ctx().out.println(healthy ? "healthy" : "unhealthy: "
                        + count(checks.stream().mapToLong(c -> c.problems().size()).sum(), "problem"));
            }
            return healthy ? 0 : RunlogCli.FAILED;
        }

        /** A check that fails with the store's own error (damaged data it cannot read) reports that error as its problem. */
        private static Check attempt(String name, Supplier<Check> check) {
            try {
                return check.get();
            } catch (RunlogException e) {
                return new Check(name, "could not finish", List.of(e.getMessage()));
            }
        }

        /**
         * Opening the store already ended the runs of processes that died on this machine (as
         * KILLED, tagged runlog.killedReason); this says how many there are, and how many run.
         */
        private static Check runs(Tracker tracker) {
            long[] counts = new long[3];
            List<String> problems = new ArrayList<>();
            forEachReadableRun(tracker, run -> {
                counts[0]++;
                counts[1] += run.info().status() == RunStatus.RUNNING ? 1 : 0;
                counts[2] += run.data().tags().containsKey("runlog.killedReason") ? 1 : 0;
            }, (runId, e) -> {
                counts[0]++; // a run all the same, of unknown status
                problems.add(e.getMessage());
            });
            // What import-mlflow marks until its last write: a store it was stopped in holds part of the history.
            try (Stream<Experiment> all = tracker.searchExperiments().viewType(ViewType.ALL).stream()) {
                all.forEach(e -> {
                    if (MlflowImport.UNFINISHED.equals(e.tags().get(MlflowImport.STATE_TAG))) {
                        problems.add("experiment '" + e.name() + "' (id " + e.id() + ") holds an MLflow import that was"
                                + " stopped before it finished: the store has part of that history; import again into a new store");
                    }
                    if (StoreCopy.UNFINISHED.equals(e.tags().get(StoreCopy.STATE_TAG))) {
                        problems.add("experiment '" + e.name() + "' (id " + e.id() + ") holds a store copy that was stopped"
                                + " before it finished: runs or points may be missing; copy again into a new store");
                    }
                });
            }
            return new Check("runs", counts[0] + " runs, " + counts[1] + " running; " + counts[2]
                    + " ended as KILLED because their process died", problems);
        }

        /** Every file of every run against its record; the files that fail, by run, go into {@code damaged}. */
        private Check artifacts(Tracker tracker, TrackerStores stores, Map<String, List<String>> damaged) {
            List<String> problems = new ArrayList<>();
            long[] counts = new long[3]; // files, bytes, runs
            Map<String, List<String>> pending = new LinkedHashMap<>(); // per running run, its files without a record
            forEachReadableRun(tracker, run -> {
                String runId = run.info().id();
                Set<String> recordedPaths = new HashSet<>();
                for (ArtifactEntry recorded : stores.tracking().recordedArtifacts(runId)) {
                    recordedPaths.add(recorded.path());
                    if (recorded.isDirectory() || recorded.sha256().isEmpty()) {
                        continue;
                    }
                    counts[0]++;
                    counts[1] += recorded.size();
                    String problem = verify(stores, runId, recorded);
                    if (problem != null && run.info().status() == RunStatus.RUNNING) {
                        problem = verifyAgain(stores, runId, recorded, problem);
                    }
                    if (problem != null) {
                        problems.add("run " + runId + ": " + recorded.path() + ": " + problem);
                        damaged.computeIfAbsent(runId, id -> new ArrayList<>()).add(recorded.path());
                    }
                }
                List<String> unrecorded = unrecorded(stores, runId, "", recordedPaths);
                if (!unrecorded.isEmpty() && run.info().status() == RunStatus.RUNNING) {
                    // A file is stored just before its record: one a live run logs now sits between
                    // the two for a moment. Looked at again below, after the other runs.
                    pending.put(runId, unrecorded);
                } else {
                    unrecorded.forEach(path -> problems.add(notRecorded(runId, path, "")));
                }
                if (++counts[2] % 100 == 0) {
                    ctx().progress("checked the artifacts of " + counts[2] + " runs");
                }
            }, (runId, e) -> problems.add("run " + runId + ": its record cannot be read, so its files were not checked"));
            ctx().progressDone();
            pending.forEach((runId, paths) -> unrecordedStill(stores, runId, paths)
                    .forEach(path -> problems.add(notRecorded(runId, path, "; its run is running, so if a job is logging"
                            + " it now on a busy store, run doctor again"))));
            return new Check("artifacts", count(counts[0], "file") + " (" + Text.size(counts[1]) + ") of "
                    + count(counts[2], "run") + " checked against their recorded SHA-256", problems);
        }

        private static String notRecorded(String runId, String path, String more) {
            return "run " + runId + ": " + path + ": not recorded (left by a logArtifacts cut short, or put there by"
                    + " other means; reads refuse it, exports and copies leave it out" + more + ")";
        }

        /** How long a running run's file may go without its record before doctor reports it. */
        static final long RECORD_PATIENCE_MS = 3_000;

        /** Those of {@code paths} the run still has no record of after {@link #RECORD_PATIENCE_MS}, read again now and then. */
        private static List<String> unrecordedStill(TrackerStores stores, String runId, List<String> paths) {
            List<List<String>> left = new ArrayList<>(List.of(paths));
            patiently(() -> {
                Set<String> recorded = new HashSet<>();
                stores.tracking().recordedArtifacts(runId).forEach(entry -> recorded.add(entry.path()));
                left.set(0, left.get(0).stream().filter(path -> !recorded.contains(path)).toList());
                return left.get(0).isEmpty();
            });
            return left.get(0);
        }

        /**
         * Asks {@code settled} until it says true or {@link #RECORD_PATIENCE_MS} have passed, 200 ms
         * apart: how doctor gives a busy store's writes the moment they take.
         */
        private static void patiently(java.util.function.BooleanSupplier settled) {
            long deadline = System.nanoTime() + RECORD_PATIENCE_MS * 1_000_000;
            while (!settled.getAsBoolean() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        /** How a store's error names the run whose record it could not read. */
        private static final Pattern UNREADABLE_RUN = Pattern.compile("^Run ([0-9a-f]{32}): ");

        /**
         * Every run {@code action} can be given, and each run whose record cannot be read to
         * {@code unreadable}: a search stops at such a record, so it is searched again without the
         * runs found unreadable, as often as it meets one. A failure that names no run ends it.
         */
        private static void forEachReadableRun(Tracker tracker, Consumer<Run> action,
                                               BiConsumer<String, IntegrityException> unreadable) {
            Set<String> skipped = new LinkedHashSet<>();
            Set<String> done = new HashSet<>();
            while (true) {
                String filter = skipped.isEmpty() ? "" : "attributes.run_id NOT IN ("
                        + skipped.stream().map(id -> "'" + id + "'").collect(Collectors.joining(", ")) + ")";
                try (Stream<Run> all = tracker.searchRuns().viewType(ViewType.ALL).filter(filter).stream()) {
                    for (Run run : (Iterable<Run>) all::iterator) {
                        if (done.add(run.info().id())) {
                            action.accept(run);
                        }
                    }
                    return;
                } catch (IntegrityException e) {
                    Matcher named = UNREADABLE_RUN.matcher(String.valueOf(e.getMessage()));
                    if (!named.find() || !skipped.add(named.group(1))) {
                        throw e;
                    }
                    unreadable.accept(named.group(1), e);
                }
            }
        }

        /** The files under {@code dir} that the artifact store holds and the tracking store never recorded. */
        private static List<String> unrecorded(TrackerStores stores, String runId, String dir, Set<String> recorded) {
            List<String> found = new ArrayList<>();
            for (ArtifactEntry entry : stores.artifacts().list(runId, dir)) {
                if (entry.isDirectory()) {
                    found.addAll(unrecorded(stores, runId, entry.path(), recorded));
                } else if (!recorded.contains(entry.path())) {
                    found.add(entry.path());
                }
            }
            return found;
        }

        /**
         * A running run's file that failed its check may be one logged again at its path while
         * doctor read it: the new bytes are stored just before the new record, and a store may give
         * record and bytes from two moments. Its record is read again for up to
         * {@link #RECORD_PATIENCE_MS}; once it changes, the file is checked against it.
         */
        private static String verifyAgain(TrackerStores stores, String runId, ArtifactEntry recorded, String problem) {
            ArtifactEntry[] known = {recorded};
            String[] found = {problem};
            patiently(() -> {
                java.util.Optional<ArtifactEntry> now = stores.tracking().recordedArtifact(runId, recorded.path());
                if (now.isEmpty() || now.get().isDirectory() || now.get().sha256().isEmpty()) {
                    return true; // no file record to check against: the first finding stands
                }
                if (!now.get().equals(known[0])) {
                    known[0] = now.get();
                    found[0] = verify(stores, runId, known[0]);
                }
                return found[0] == null;
            });
            return found[0];
        }

        /** What is wrong with one artifact file, or null: read whole and hashed, never trusted by size alone. */
        private static String verify(TrackerStores stores, String runId, ArtifactEntry recorded) {
            try (InputStream in = stores.artifacts().open(runId, recorded.path());
                 DigestInputStream hashing = Sha256.hashing(in)) {
                long size = hashing.transferTo(OutputStream.nullOutputStream());
                String sha256 = Sha256.hex(hashing);
                if (!sha256.equals(recorded.sha256().get())) {
                    return "changed: SHA-256 " + sha256 + ", recorded " + recorded.sha256().get()
                            + " (" + size + " bytes, recorded " + recorded.size() + ")";
                }
                return null;
            } catch (NotFoundException e) {
                return "missing";
            } catch (IntegrityException e) {
                // A store that checks what it serves (S3, PostgreSQL) refuses the changed file itself.
                return "changed: " + e.getMessage();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read artifact " + recorded.path() + " of run " + runId, e);
            }
        }

        /** Whether {@code version} is gone from the registry now (or its model is): deleted while doctor ran. */
        private static boolean deletedMeanwhile(ModelRegistry registry, ModelVersion version) {
            try {
                registry.getVersion(version.name(), version.version());
                return false;
            } catch (NotFoundException gone) {
                return true;
            }
        }

        /**
         * Every registered version's descriptor against the digest registered with it, and its
         * files against what the artifacts check found: a payload changed behind Runlog's back
         * breaks the version (it no longer loads), not only its run.
         */
        static Check models(ModelRegistry registry, Map<String, List<String>> damaged) {
            List<String> problems = new ArrayList<>();
            List<ModelVersion> versions = registry.searchVersions("");
            for (ModelVersion version : versions) {
                String named = version.name() + " version " + version.version() + " (" + version.stage() + ")";
                try {
                    registry.resolve(version.uri());
                } catch (IntegrityException | NotFoundException e) {
                    if (e instanceof NotFoundException && deletedMeanwhile(registry, version)) {
                        continue; // another process deleted it since the list was read: a change, not damage
                    }
                    problems.add(named + ": " + e.getMessage());
                    continue;
                }
                String prefix = "runs:/" + version.runId() + "/";
                String model = version.source().startsWith(prefix) ? version.source().substring(prefix.length()) : null;
                for (String path : damaged.getOrDefault(version.runId(), List.of())) {
                    if (model != null && (path.equals(model) || path.startsWith(model + "/"))) {
                        problems.add(named + ": its file " + path + " is changed or missing (see artifacts); it no longer loads");
                    }
                }
            }
            long models = versions.stream().map(ModelVersion::name).distinct().count();
            return new Check("models", count(versions.size(), "version") + " of " + count(models, "model")
                    + " checked against their model's digest", problems);
        }
    }
}
