package dev.runlog.tracking.internal;

import dev.runlog.tracking.spi.ArtifactPaths;
import dev.runlog.tracking.spi.InputRules;
import dev.runlog.tracking.spi.Sha256;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.Dataset;
import dev.runlog.tracking.DatasetInput;
import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.LoggedModel;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.MetricSeries;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.StoreException;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * {@code .tar.gz} archives of a model or a whole run, to move them between stores and machines.
 *
 * <pre>
 * runlog-archive.json      what the archive holds and where it came from
 * model/...                a model: MLmodel.json, data/..., input_example.json
 * run.json                 a run: name, status, times, params, tags, inputs, metric index
 * metrics/N.bin            a run's metric series: (step, timestamp, value bits) as big-endian longs
 * artifacts/...            a run's artifact files
 * </pre>
 */
final class Archives {
    static final String MANIFEST = "runlog-archive.json";
    static final String IMPORTED_FROM = "runlog.importedFrom";
    /** An import's scratch directory in {@code java.io.tmpdir}, named after its process so a dead one's is found. */
    static final String IMPORT_PREFIX = "runlog-import-";
    /**
     * On a run while it is being imported, removed as the import ends it: a run that still has it
     * when its process is found dead (kill -9 mid-import) is a partial import, deleted at the next
     * open rather than left among the others as KILLED.
     */
    static final String IMPORTING = "runlog.importing";
    /** An export's temporary file beside its archive, named after its process (see Temp.ownedFile). */
    static final String EXPORT_PREFIX = ".export-";
    static final String EXPORT_SUFFIX = ".tmp";
    private static final int FORMAT = 1;

    private Archives() {
    }

    // ---- export -------------------------------------------------------------------------------

    static void exportModel(DefaultTracker tracker, String modelUri, Path tarGz) {
        ModelSupport.ModelUri uri = ModelSupport.ModelUri.parse(modelUri);
        Run run = tracker.getRun(uri.runId());
        ModelDescriptor descriptor = ModelSupport.descriptor(tracker, uri);
        ObjectNode manifest = manifest(tracker, "model", run);
        manifest.put("artifact_path", uri.artifactPath());
        manifest.put("model_uuid", descriptor.model.modelUuid());
        write(tarGz, run, tar -> {
            putJson(tar, MANIFEST, manifest);
            putArtifacts(tracker, tar, uri.runId(), uri.artifactPath(), "model/");
        });
    }

    static void exportRun(DefaultTracker tracker, String runId, Path tarGz) {
        Run run = tracker.getRun(runId);
        checkModelsOwned(tracker, runId);
        ObjectNode manifest = manifest(tracker, "run", run);
        ObjectNode description = Json.MAPPER.createObjectNode();
        description.put("name", run.info().name());
        description.put("status", run.info().status().name());
        description.put("start_time", run.info().startTime().toEpochMilli());
        run.info().endTime().ifPresent(end -> description.put("end_time", end.toEpochMilli()));
        ObjectNode params = description.putObject("params");
        run.data().params().forEach(params::put);
        ObjectNode tags = description.putObject("tags");
        run.data().tags().forEach(tags::put);
        ArrayNode inputs = description.putArray("inputs");
        for (DatasetInput input : run.inputs()) {
            inputs.addObject().put("context", input.context()).set("dataset", Json.MAPPER.valueToTree(input.dataset()));
        }
        ArrayNode metrics = description.putArray("metrics");
        List<String> keys = new ArrayList<>(run.data().latestMetrics().keySet());
        for (int i = 0; i < keys.size(); i++) {
            metrics.addObject().put("key", keys.get(i)).put("file", "metrics/" + i + ".bin");
        }
        write(tarGz, run, tar -> {
            putJson(tar, MANIFEST, manifest);
            putJson(tar, "run.json", description);
            for (int i = 0; i < keys.size(); i++) {
                MetricSeries series = tracker.metricSeries(runId, keys.get(i));
                var bytes = new java.io.ByteArrayOutputStream(series.size() * 24);
                try (DataOutputStream out = new DataOutputStream(bytes)) {
                    for (int p = 0; p < series.size(); p++) {
                        out.writeLong(series.steps()[p]);
                        out.writeLong(series.timestamps()[p]);
                        out.writeLong(Double.doubleToRawLongBits(series.values()[p]));
                    }
                }
                putBytes(tar, "metrics/" + i + ".bin", bytes.toByteArray());
            }
            putArtifacts(tracker, tar, runId, "", "artifacts/");
        });
    }

    private static ObjectNode manifest(DefaultTracker tracker, String kind, Run run) {
        ObjectNode manifest = Json.MAPPER.createObjectNode();
        manifest.put("format", FORMAT);
        manifest.put("kind", kind);
        manifest.put("runlog_version", ModelDescriptor.RUNLOG_VERSION);
        manifest.put("source_run_id", run.info().id());
        manifest.put("source_experiment", tracker.getExperiment(run.info().experimentId()).name());
        return manifest;
    }

    @FunctionalInterface
    private interface TarWriter {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    /**
     * Writes beside the target and moves into place, so a failed export leaves no partial archive;
     * one killed outright leaves its temporary file, which the next export into that directory
     * deletes. A file at the target is replaced only if it is still the one there when the export
     * began (see {@link ExportTargets#place}).
     */
    private static void write(Path tarGz, Run source, TarWriter writer) {
        Path target = tarGz.toAbsolutePath().normalize();
        if (Files.isDirectory(target)) {
            // Not a store failure to retry: the caller named a directory where the archive goes.
            throw new InvalidInputException("Archive path " + tarGz + " is a directory; give the archive's file,"
                    + " such as " + target.resolve("export.tar.gz"));
        }
        ExportTargets.refuseStoreFiles(tarGz, target, source);
        java.nio.file.attribute.BasicFileAttributes before = ExportTargets.before(tarGz, target);
        for (Path up = target.getParent(); up != null; up = up.getParent()) {
            if (Files.exists(up, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(up)) {
                throw new InvalidInputException("Archive path " + tarGz + " goes through " + up
                        + ", which is a file, not a directory; give a path in a directory");
            }
        }
        Path tmp = null;
        Path registered = null;
        try {
            Files.createDirectories(target.getParent());
            tmp = Temp.ownedFile(target.getParent(), EXPORT_PREFIX, EXPORT_SUFFIX);
            registered = Temp.deletedAtShutdown(tmp);
            try (OutputStream file = Files.newOutputStream(tmp);
                 TarArchiveOutputStream tar = new TarArchiveOutputStream(
                         new GzipCompressorOutputStream(new BufferedOutputStream(file)))) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                writer.write(tar);
                tar.finish();
            }
            ExportTargets.place(tarGz, tmp, target, before);
            tmp = null;
        } catch (IOException e) {
            throw dev.runlog.tracking.spi.IoFailures.storeFailure("Could not write archive " + tarGz, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // The export failed already; the named temp file is harmless.
                }
            }
            Temp.released(registered);
        }
    }

    private static void putJson(TarArchiveOutputStream tar, String name, JsonNode json) throws IOException {
        putBytes(tar, name, Json.MAPPER.writeValueAsBytes(json));
    }

    private static void putBytes(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(bytes.length);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    /**
     * A model descriptor among the run's files that names another run or path (a model's files
     * copied in with logArtifacts) is no model of this run; exported, its import would rewrite it
     * into one. Refused here, naming the file, rather than written into an archive.
     */
    private static void checkModelsOwned(DefaultTracker tracker, String runId) {
        for (ArtifactEntry file : tracker.store().recordedArtifacts(runId)) {
            int slash = file.path().lastIndexOf('/');
            if (!file.isDirectory() && slash > 0 && file.path().substring(slash + 1).equals(ModelDescriptor.FILE_NAME)) {
                try {
                    ModelSupport.descriptor(tracker, new ModelSupport.ModelUri(runId, file.path().substring(0, slash)));
                } catch (IntegrityException e) {
                    throw new IntegrityException("Run " + runId + " cannot be exported: " + e.getMessage(), e);
                }
            }
        }
    }

    /**
     * Writes the run's files under {@code dir} into the archive under {@code prefix}, each checked
     * against the size and SHA-256 the store recorded when it was stored: an archive never carries a
     * file changed or lost since (what {@code runlog doctor} reports) into another store as if it
     * were sound. A file the store never recorded (left by a logArtifacts cut short, or put among the
     * run's files by other means) is left out with a warning: the import would record it as the run's own.
     */
    private static void putArtifacts(DefaultTracker tracker, TarArchiveOutputStream tar, String runId, String dir,
                                     String prefix) throws IOException {
        String under = dir.isEmpty() ? "" : dir + "/";
        Map<String, ArtifactEntry> recorded = new java.util.TreeMap<>();
        for (ArtifactEntry file : tracker.store().recordedArtifacts(runId)) {
            if (!file.isDirectory() && file.path().startsWith(under)) {
                recorded.put(file.path(), file);
            }
        }
        for (ArtifactEntry file : tracker.runArtifacts().filesUnder(runId, dir)) {
            ArtifactEntry record = recorded.remove(file.path());
            if (record == null) {
                // Left by a logArtifacts cut short (kill -9), or put there by other means: not the run's
                // as far as the store knows, and not carried; the run's own files still travel.
                System.getLogger(Archives.class.getName()).log(System.Logger.Level.WARNING, "Run " + runId + ": artifact '"
                        + file.path() + "' has no record in the store and is left out of the export (runlog doctor lists"
                        + " such files)");
                continue;
            }
            putArtifact(tracker, tar, runId, file, record, prefix + file.path().substring(under.length()));
        }
        if (!recorded.isEmpty()) {
            throw new IntegrityException("Run " + runId + ": artifact '" + recorded.keySet().iterator().next()
                    + "' was recorded when stored but is missing; nothing was exported (runlog doctor lists every"
                    + " missing or changed file)");
        }
    }

    private static void putArtifact(DefaultTracker tracker, TarArchiveOutputStream tar, String runId,
                                    ArtifactEntry file, ArtifactEntry record, String name) throws IOException {
        long size = record.size();
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(size);
        tar.putArchiveEntry(entry);
        MessageDigest sha256 = Sha256.newDigest();
        long copied = 0;
        try (InputStream in = tracker.artifacts().open(runId, file.path())) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; copied += n) {
                if (copied + n > size) {
                    throw changed(runId, file.path(), "more than its recorded " + size + " bytes");
                }
                sha256.update(buffer, 0, n);
                tar.write(buffer, 0, n);
            }
        }
        if (copied != size) {
            throw changed(runId, file.path(), copied + " bytes, recorded " + size);
        }
        String actual = Sha256.hex(sha256);
        if (record.sha256().isPresent() && !record.sha256().get().equals(actual)) {
            throw changed(runId, file.path(), "SHA-256 " + actual + ", recorded " + record.sha256().get());
        }
        tar.closeArchiveEntry();
    }

    private static IntegrityException changed(String runId, String path, String what) {
        return new IntegrityException("Run " + runId + ": artifact '" + path + "' changed since it was stored (" + what
                + "); nothing was exported (runlog doctor lists every missing or changed file)");
    }

    // ---- import -------------------------------------------------------------------------------

    static LoggedModel importModel(DefaultTracker tracker, Path tarGz) {
        Path work = Temp.deletedAtShutdown(Temp.ownedDirectory(IMPORT_PREFIX));
        try {
            Path unpacked = work.resolve("archive");
            SafeExtractor.extract(tarGz, unpacked, tracker.archiveSizeLimit());
            JsonNode manifest = readManifest(unpacked, tarGz, "model");
            onlyEntries(unpacked, tarGz, Set.of(MANIFEST, "model"));
            Path modelDir = unpacked.resolve("model");
            ModelDescriptor descriptor = ModelSupport.verifyUnpacked(modelDir, "archive " + tarGz);
            String artifactPath = ArtifactPaths.normalize(text(manifest, "artifact_path", tarGz));
            if (artifactPath.isEmpty()) {
                throw new IntegrityException("Archive " + tarGz + " puts its model at the artifact root; a model has a path"
                        + " of its own, such as 'model'");
            }
            String sourceRunId = text(manifest, "source_run_id", tarGz);
            String sourceUri = "runs:/" + sourceRunId + "/" + artifactPath;
            checkArtifactPaths(modelDir, artifactPath, tarGz);
            if (!descriptor.model.artifactPath().equals(artifactPath)) {
                throw new IntegrityException("Archive " + tarGz + ": its manifest puts the model at '" + artifactPath
                        + "', its descriptor at '" + descriptor.model.artifactPath() + "'; one of them was changed");
            }
            checkSourceRun(descriptor, sourceRunId, artifactPath, tarGz);

            // Everything is checked before the run (and its experiment) is made, so a bad archive stores nothing.
            Map<String, String> tags = new LinkedHashMap<>(tracker.processTags());
            tags.put(IMPORTED_FROM, InputRules.tagValue(IMPORTED_FROM, sourceUri));
            tags.put(IMPORTING, "true");
            String uuid = java.util.Objects.toString(descriptor.model.modelUuid(), "").replaceAll("[^0-9A-Za-z]", "");
            String runName = "import-" + (uuid.isEmpty() ? "model" : uuid.substring(0, Math.min(8, uuid.length())));
            String experiment = experimentName(manifest, tarGz);
            String runId = tracker.createImportedRun(experiment, runName, RunStatus.RUNNING,
                    Instant.ofEpochMilli(tracker.clock().millis()), tags);
            ModelDescriptor moved = descriptor.movedTo(runId);
            try {
                Files.write(modelDir.resolve(ModelDescriptor.FILE_NAME), moved.toJson());
                tracker.runArtifacts().uploadTree(runId, modelDir, artifactPath);
                tracker.store().deleteTag(runId, IMPORTING);
                tracker.store().endRun(runId, RunStatus.FINISHED, Instant.ofEpochMilli(tracker.clock().millis()));
            } catch (IOException | RuntimeException e) {
                throw withdrawn(tracker, runId, tarGz, e);
            }
            return moved.model;
        } catch (InvalidInputException e) {
            throw refusedContent(tarGz, e);
        } catch (IOException e) {
            throw new StoreException("Could not import model archive " + tarGz + ": " + e.getMessage(), e);
        } finally {
            Temp.deleteTree(work);
            Temp.released(work);
        }
    }

    static Run importRun(DefaultTracker tracker, Path tarGz) {
        Path work = Temp.deletedAtShutdown(Temp.ownedDirectory(IMPORT_PREFIX));
        try {
            Path unpacked = work.resolve("archive");
            SafeExtractor.extract(tarGz, unpacked, tracker.archiveSizeLimit());
            JsonNode manifest = readManifest(unpacked, tarGz, "run");
            onlyEntries(unpacked, tarGz, Set.of(MANIFEST, "run.json", "metrics", "artifacts"));
            JsonNode run = readJson(unpacked, "run.json", tarGz);
            Map<Path, ModelDescriptor> models = verifyModels(unpacked.resolve("artifacts"),
                    text(manifest, "source_run_id", tarGz), tarGz);
            checkArtifactPaths(unpacked.resolve("artifacts"), "", tarGz);
            // Read and check every metric file before the run exists, so a bad archive stores nothing.
            Map<String, Path> metrics = ArchiveSeries.checked(unpacked,
                    field(run, "metrics", JsonNode::isArray, "an array", tarGz), tarGz);
            Map<String, String> params = strings(field(run, "params", JsonNode::isObject, "an object", tarGz), "param", tarGz);
            Map<String, String> tags = strings(field(run, "tags", JsonNode::isObject, "an object", tarGz), "tag", tarGz);
            params.forEach((k, v) -> InputRules.paramValue(InputRules.key("param", k), v));
            InputRules.tags(tags);
            tags.put(IMPORTED_FROM, InputRules.tagValue(IMPORTED_FROM, text(manifest, "source_run_id", tarGz)));
            tags.put(IMPORTING, "true");
            importedParent(tracker, tags.get(dev.runlog.tracking.ActiveRun.PARENT_RUN_ID_TAG))
                    .ifPresent(parent -> tags.put(dev.runlog.tracking.ActiveRun.PARENT_RUN_ID_TAG, parent));
            List<DatasetInput> inputs = new ArrayList<>();
            for (JsonNode input : field(run, "inputs", JsonNode::isArray, "an array", tarGz)) {
                Dataset dataset;
                try {
                    dataset = Json.MAPPER.treeToValue(field(input, "dataset", JsonNode::isObject, "an object", tarGz),
                            Dataset.class);
                } catch (JsonProcessingException e) {
                    throw new IntegrityException("Archive " + tarGz + ": input " + inputs.size() + " is not a dataset: "
                            + datasetProblem(e));
                }
                inputs.add(DefaultActiveRun.checkedInput(dataset, text(input, "context", tarGz)));
            }
            // Everything is checked before the run (and its experiment) is made, so a bad archive stores nothing.
            String name = InputRules.name("run", text(run, "name", tarGz));
            String experiment = experimentName(manifest, tarGz);
            RunStatus status = status(text(run, "status", tarGz), tarGz);
            Instant start = Instant.ofEpochMilli(millis(run, "start_time", tarGz));
            Instant end = Instant.ofEpochMilli(run.hasNonNull("end_time") ? millis(run, "end_time", tarGz)
                    : Math.max(start.toEpochMilli(), tracker.clock().millis()));
            if (end.isBefore(start)) {
                throw new IntegrityException("Archive " + tarGz + ": the run ends (" + end + ") before it starts (" + start + ")");
            }

            String runId = tracker.createImportedRun(experiment, name, RunStatus.RUNNING, start, tags);
            try {
                tracker.store().logBatch(runId, List.of(), params, Map.of());
                for (Map.Entry<String, Path> series : metrics.entrySet()) {
                    ArchiveSeries.read(series.getValue(), series.getKey(),
                            batch -> tracker.store().logBatch(runId, batch, Map.of(), Map.of()));
                }
                if (!inputs.isEmpty()) {
                    tracker.store().logInputs(runId, inputs);
                }
                // Each model's descriptor names its run: the new one, as logModel would have written it.
                for (Map.Entry<Path, ModelDescriptor> model : models.entrySet()) {
                    Files.write(model.getKey().resolve(ModelDescriptor.FILE_NAME), model.getValue().movedTo(runId).toJson());
                }
                Path artifacts = unpacked.resolve("artifacts");
                if (Files.isDirectory(artifacts)) {
                    tracker.runArtifacts().uploadTree(runId, artifacts, "");
                }
                // A run exported while still going has no honest end; it is imported as KILLED.
                tracker.store().deleteTag(runId, IMPORTING);
                tracker.store().endRun(runId, status.isActive() ? RunStatus.KILLED : status, end);
            } catch (IOException | RuntimeException e) {
                throw withdrawn(tracker, runId, tarGz, e);
            }
            return tracker.getRun(runId);
        } catch (InvalidInputException e) {
            throw refusedContent(tarGz, e);
        } catch (IOException e) {
            throw new StoreException("Could not import run archive " + tarGz + ": "
                    + String.valueOf(e.getMessage()).replace(work.resolve("archive") + "/", ""), e);
        } finally {
            Temp.deleteTree(work);
            Temp.released(work);
        }
    }

    /**
     * The id in this store of a child run's parent, when the parent was imported here before (its
     * {@code runlog.importedFrom} names the source id): a run of a nested sweep keeps pointing at
     * its parent. Empty when it was not (the tag then keeps the source store's id).
     */
    private static java.util.Optional<String> importedParent(DefaultTracker tracker, String sourceParentId) {
        if (sourceParentId == null || !sourceParentId.matches("[0-9a-f]{32}")) {
            return java.util.Optional.empty();
        }
        List<Run> copies = tracker.searchRuns().filter("tags.`" + IMPORTED_FROM + "` = '" + sourceParentId + "'")
                .viewType(dev.runlog.tracking.ViewType.ACTIVE_ONLY).list();
        return copies.size() == 1 ? java.util.Optional.of(copies.get(0).info().id()) : java.util.Optional.empty();
    }

    /**
     * Every file under {@code dir} as the artifact path it would be stored at, under {@code
     * artifactDir}, checked before the run exists: a path the artifact rules refuse (too long, a
     * reserved name) would otherwise fail the import half-way.
     */
    private static void checkArtifactPaths(Path dir, String artifactDir, Path tarGz) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            for (Path file : paths.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList()) {
                String relative = dir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
                try {
                    ArtifactPaths.normalize(ArtifactPaths.join(artifactDir, relative));
                } catch (InvalidInputException e) {
                    throw new IntegrityException("Archive " + tarGz + " holds a file that cannot be an artifact: "
                            + e.getMessage() + "; nothing of the archive was kept");
                }
            }
        }
    }

    /**
     * The failure of an import after its run was made (a store that failed half-way): the run is
     * deleted, so no partial run stays among the others, and the failure says so.
     */
    /**
     * What a rule refuses in an archive (a key, a name, a value) is the archive's fault, reported as
     * its every other defect is: an IntegrityException naming it, not a bad argument of the caller's.
     */
    private static IntegrityException refusedContent(Path tarGz, InvalidInputException e) {
        String message = e.getMessage();
        return new IntegrityException(message.startsWith("Importing " + tarGz) ? message : "Archive " + tarGz + ": " + message, e);
    }

    private static RuntimeException withdrawn(DefaultTracker tracker, String runId, Path tarGz, Exception e) {
        String note = "; the partly imported run " + runId + " was deleted, and its files stay until a gc purges it"
                + " (runlog gc --older-than 0d, at once)";
        try {
            // Ended first, and no longer marked as importing: the next open must not take it for an
            // import whose process died (and say so), as it would a run still RUNNING.
            Instant now = Instant.ofEpochMilli(tracker.clock().millis());
            try {
                tracker.store().deleteTag(runId, IMPORTING);
                tracker.store().endRun(runId, RunStatus.KILLED, now);
            } catch (RuntimeException endFailed) {
                e.addSuppressed(endFailed); // the delete below still withdraws it
            }
            tracker.store().deleteRun(runId, now);
        } catch (RuntimeException deleteFailed) {
            e.addSuppressed(deleteFailed);
            note = "; the partly imported run " + runId + " could not be deleted: delete it";
        }
        String message = "Importing " + tarGz + " failed: " + e.getMessage() + note;
        if (e instanceof IntegrityException) {
            return new IntegrityException(message, e);
        }
        if (e instanceof InvalidInputException) {
            return new InvalidInputException(message, e);
        }
        return new StoreException(message, e);
    }

    /**
     * Checks every model among a run archive's artifacts against its descriptor, which must name
     * the path it lies at, before anything is stored; returns the descriptors by model directory.
     */
    private static Map<Path, ModelDescriptor> verifyModels(Path artifacts, String sourceRunId, Path tarGz) throws IOException {
        Map<Path, ModelDescriptor> models = new LinkedHashMap<>();
        if (!Files.isDirectory(artifacts)) {
            return models;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(artifacts)) {
            for (Path file : paths.filter(p -> p.getFileName().toString().equals(ModelDescriptor.FILE_NAME)).toList()) {
                Path dir = file.getParent();
                String path = artifacts.relativize(dir).toString().replace(dir.getFileSystem().getSeparator(), "/");
                ModelDescriptor descriptor = ModelSupport.verifyUnpacked(dir, "archive " + tarGz + ", model " + path);
                if (!descriptor.model.artifactPath().equals(path)) {
                    throw new IntegrityException("Archive " + tarGz + ": the model at '" + path + "' has a descriptor that"
                            + " puts it at '" + descriptor.model.artifactPath() + "'; it was changed");
                }
                checkSourceRun(descriptor, sourceRunId, path, tarGz);
                models.put(dir, descriptor);
            }
        }
        return models;
    }

    /**
     * A model in an archive is a model of the run the archive came from: a descriptor naming another
     * run was copied there, and the import, which rewrites it to name the new run, would make it one.
     */
    private static void checkSourceRun(ModelDescriptor descriptor, String sourceRunId, String path, Path tarGz) {
        if (!descriptor.model.runId().equals(sourceRunId)) {
            throw new IntegrityException("Archive " + tarGz + ": the model at '" + path + "' has a descriptor naming run "
                    + descriptor.model.runId() + ", not the run the archive came from (" + sourceRunId
                    + "); it was copied or changed");
        }
    }

    /** Refuses an archive holding anything at its top besides {@code names}: it would be dropped without a word. */
    private static void onlyEntries(Path unpacked, Path tarGz, Set<String> names) throws IOException {
        if (!Files.isDirectory(unpacked)) {
            return; // an empty archive: the manifest's absence says what is wrong
        }
        try (java.util.stream.Stream<Path> top = Files.list(unpacked)) {
            for (Path entry : top.toList()) {
                if (!names.contains(entry.getFileName().toString())) {
                    throw new IntegrityException("Archive " + tarGz + " holds '" + entry.getFileName() + "', which is no part of"
                            + " a Runlog archive (it holds " + String.join(", ", new java.util.TreeSet<>(names)) + "); refused");
                }
            }
        }
    }

    private static JsonNode readManifest(Path unpacked, Path tarGz, String kind) throws IOException {
        Path file = unpacked.resolve(MANIFEST);
        if (!Files.isRegularFile(file)) {
            throw new IntegrityException("Archive " + tarGz + " is not a Runlog archive: it has no " + MANIFEST);
        }
        JsonNode manifest = readJson(unpacked, MANIFEST, tarGz);
        if (manifest.path("format").asInt() != FORMAT) {
            throw new IntegrityException("Archive " + tarGz + " has format " + manifest.path("format").asText()
                    + "; this Runlog reads format " + FORMAT);
        }
        if (!manifest.path("kind").asText().equals(kind)) {
            throw new IntegrityException("Archive " + tarGz + " holds a " + manifest.path("kind").asText()
                    + ", not a " + kind);
        }
        return manifest;
    }

    /** Imports land in the experiment of the same name as the one they came from, created if needed. */
    private static String experimentName(JsonNode manifest, Path tarGz) {
        return InputRules.name("experiment", text(manifest, "source_experiment", tarGz));
    }

    /** An archive's JSON file as a JSON object; missing, not JSON or not an object is a damaged archive. */
    private static JsonNode readJson(Path unpacked, String name, Path tarGz) throws IOException {
        Path file = unpacked.resolve(name);
        if (!Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new IntegrityException("Archive " + tarGz + " has no " + name);
        }
        JsonNode node;
        try {
            // A member named twice is refused: what a reader of the text sees and what is imported must agree.
            node = Json.MAPPER.reader().with(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            throw new IntegrityException("Archive " + tarGz + ": " + name + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IntegrityException("Archive " + tarGz + ": " + name + " is not a JSON object");
        }
        return node;
    }

    /** A field of an archive's JSON that must be of one kind ({@code what}, such as "an array"). */
    private static JsonNode field(JsonNode object, String name, java.util.function.Predicate<JsonNode> kind, String what,
                                  Path tarGz) {
        JsonNode value = object.get(name);
        if (value == null || !kind.test(value)) {
            throw new IntegrityException("Archive " + tarGz + ": '" + name + "' is " + (value == null ? "missing" : "not " + what));
        }
        return value;
    }

    /** A time field: whole epoch milliseconds, never a string or a number read as 0. */
    private static long millis(JsonNode object, String name, Path tarGz) {
        JsonNode value = field(object, name, JsonNode::isIntegralNumber, "whole epoch milliseconds", tarGz);
        // From 1970 through 9999: a run exported by Runlog was timed by a clock; a time past that
        // (Long.MAX_VALUE) would sort the run first in every listing and date its experiment forever.
        if (!value.canConvertToLong() || value.asLong() < 0 || value.asLong() > LATEST_MILLIS) {
            throw new IntegrityException("Archive " + tarGz + ": '" + name + "' (" + value + ") is not a time from 1970"
                    + " through the year 9999 in epoch milliseconds");
        }
        return value.asLong();
    }

    /**
     * What is wrong with a dataset's JSON, in the archive's own terms: the field it is at, and the
     * dataset's own rule when one refused it (not the mapper's words about the classes it builds).
     */
    private static String datasetProblem(JsonProcessingException e) {
        String at = e instanceof com.fasterxml.jackson.databind.JsonMappingException mapping && !mapping.getPath().isEmpty()
                ? mapping.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                        .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElse("")
                : "";
        Throwable cause = e.getCause();
        String why = cause instanceof dev.runlog.tracking.RunlogException rule ? rule.getMessage()
                : "a missing field or a value of the wrong kind";
        return (at.isEmpty() ? "" : "at '" + at + "', ") + why;
    }

    /** 9999-12-31T23:59:59.999Z. */
    private static final long LATEST_MILLIS = 253_402_300_799_999L;

    /** The string values of a JSON object; any other kind of value is a damaged archive, never read as "". */
    private static Map<String, String> strings(JsonNode object, String kind, Path tarGz) {
        Map<String, String> values = new LinkedHashMap<>();
        object.properties().forEach(e -> {
            if (!e.getValue().isTextual()) {
                throw new IntegrityException("Archive " + tarGz + ": " + kind + " '" + e.getKey() + "' is not a string");
            }
            values.put(e.getKey(), e.getValue().asText());
        });
        return values;
    }

    /** A string field of an archive's JSON; missing or of another kind is a damaged archive. */
    static String text(JsonNode object, String field, Path tarGz) {
        JsonNode value = object.get(field);
        if (value == null || !value.isTextual()) {
            throw new IntegrityException("Archive " + tarGz + ": '" + field + "' is " + (value == null ? "missing" : "not a string"));
        }
        return value.asText();
    }

    private static RunStatus status(String text, Path tarGz) {
        try {
            return RunStatus.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw new IntegrityException("Archive " + tarGz + ": run status '" + text + "' is none of "
                    + java.util.Arrays.toString(RunStatus.values()));
        }
    }
}
