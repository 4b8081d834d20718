package dev.runlog.tracking.internal;

import dev.runlog.tracking.spi.ArtifactPaths;
import dev.runlog.tracking.spi.InputRules;
import dev.runlog.tracking.spi.Sha256;
import dev.runlog.tracking.spi.TrackerAccess;
import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.LoggedModel;
import dev.runlog.tracking.ModelFlavor;
import dev.runlog.tracking.ModelOptions;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.RunlogException;
import dev.runlog.tracking.StoreException;
import dev.runlog.tracking.internal.flavors.ModelFlavors;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.time.Instant;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/** Logging and loading models: flavors write and read the payload, this class keeps it honest. */
final class ModelSupport {
    private ModelSupport() {
    }

    /** Parses {@code runs:/<runId>/<path>}. */
    record ModelUri(String runId, String artifactPath) {
        static ModelUri parse(String uri) {
            InputRules.notNull("model URI", uri);
            if (!uri.startsWith("runs:/")) {
                throw new InvalidInputException("Model URI '" + uri + "' is not a runs:/<runId>/<path> URI");
            }
            String rest = uri.substring("runs:/".length());
            int slash = rest.indexOf('/');
            if (slash <= 0 || slash == rest.length() - 1) {
                throw new InvalidInputException("Model URI '" + uri + "' needs a run id and a path: runs:/<runId>/<path>");
            }
            return new ModelUri(rest.substring(0, slash), ArtifactPaths.normalize(rest.substring(slash + 1)));
        }
    }

    static LoggedModel log(DefaultTracker tracker, String runId, String artifactPath, Object model, ModelOptions options) {
        InputRules.notNull("model", model);
        String path = ArtifactPaths.normalize(artifactPath);
        if (path.isEmpty()) {
            throw new InvalidInputException("A model needs an artifact path such as \"model\", not the artifact root");
        }
        ModelGuard.Reservation reserved = ModelGuard.reserve(tracker.store(), runId, path);
        try {
            return write(tracker, runId, path, model, options);
        } finally {
            reserved.close();
        }
    }

    private static LoggedModel write(DefaultTracker tracker, String runId, String path, Object model, ModelOptions options) {
        ModelFlavor flavor = options.flavor().orElseGet(() -> ModelFlavors.forModel(model));
        Path work = Temp.directory("runlog-model-");
        try {
            Path payload = Files.createDirectory(work.resolve(ModelDescriptor.PAYLOAD_DIR));
            var flavorConfig = flavor.save(model, payload);
            SortedMap<String, ModelDescriptor.PayloadFile> files = hashTree(payload);
            long size = files.values().stream().mapToLong(ModelDescriptor.PayloadFile::size).sum();
            if (options.inputExample().isPresent()) {
                byte[] example;
                try {
                    example = Json.MAPPER.writeValueAsBytes(options.inputExample().get());
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new InvalidInputException("The input example of model '" + path + "' cannot be written as"
                            + " JSON: " + Json.problem(e));
                }
                Files.write(work.resolve(ModelDescriptor.INPUT_EXAMPLE), example);
            }
            LoggedModel logged = new LoggedModel(runId, path, flavor.name(), flavorConfig, UUID.randomUUID().toString(),
                    Instant.ofEpochMilli(tracker.clock().millis()), size, ModelDescriptor.payloadDigest(files),
                    options.signature(),
                    options.inputExample().map(example -> ModelDescriptor.INPUT_EXAMPLE), options.metadata(),
                    ModelDescriptor.RUNLOG_VERSION);
            // The descriptor goes last: a logModel cut short (kill -9, a full disk) leaves a directory
            // without one, which is no model, never a descriptor whose payload is half there.
            tracker.runArtifacts().uploadTree(runId, work, path);
            tracker.runArtifacts().upload(runId, ArtifactPaths.join(path, ModelDescriptor.FILE_NAME),
                    new ByteArrayInputStream(new ModelDescriptor(logged, files).toJson()));
            return logged;
        } catch (IOException e) {
            throw new StoreException("Could not write model '" + path + "' of run " + runId + ": " + e.getMessage(), e);
        } finally {
            Temp.deleteTree(work);
        }
    }

    static ModelDescriptor descriptor(DefaultTracker tracker, ModelUri uri) {
        return parseDescriptor(uri, descriptorBytes(tracker, uri));
    }

    /**
     * The descriptor at {@code uri}, which must say it is that model: a descriptor uploaded beside
     * other files, or copied from another run, names the run and path it was logged at, and
     * registering it would credit the version to that other run.
     *
     * @throws IntegrityException if it names another run or path
     */
    static ModelDescriptor parseDescriptor(ModelUri uri, byte[] bytes) {
        ModelDescriptor descriptor = ModelDescriptor.read(new ByteArrayInputStream(bytes), descriptorUri(uri));
        if (!uri.runId().equals(descriptor.model.runId()) || !uri.artifactPath().equals(descriptor.model.artifactPath())) {
            throw new IntegrityException("The descriptor " + descriptorUri(uri) + " says it is the model runs:/"
                    + descriptor.model.runId() + "/" + descriptor.model.artifactPath() + "; a descriptor that names another"
                    + " run or path was copied or changed, and is no model here");
        }
        return descriptor;
    }

    /** The bytes of a model's {@code MLmodel.json}, read once: what the registry's digest is taken over. */
    static byte[] descriptorBytes(DefaultTracker tracker, ModelUri uri) {
        String file = ArtifactPaths.join(uri.artifactPath(), ModelDescriptor.FILE_NAME);
        try (InputStream in = tracker.runArtifacts().open(uri.runId(), file)) {
            return in.readAllBytes();
        } catch (IntegrityException e) {
            // Recorded, then deleted (a store copied without its artifacts): "changed" would send the user looking for an edit.
            String what = e.getCause() instanceof NotFoundException ? " went missing after" : " changed since";
            throw new IntegrityException("The descriptor " + descriptorUri(uri) + what + " the model was logged: "
                    + e.getMessage(), e);
        } catch (NotFoundException e) {
            throw new NotFoundException("No model at runs:/" + uri.runId() + "/" + uri.artifactPath()
                    + " (it has no " + ModelDescriptor.FILE_NAME + ")");
        } catch (IOException e) {
            throw new StoreException("Could not read the descriptor of runs:/" + uri.runId() + "/" + uri.artifactPath(), e);
        }
    }

    /**
     * What the registry records of a logged model: the run must exist, the descriptor parse, and
     * every payload file it lists be there with its size. A descriptor {@code pinned} before with
     * the very same bytes is neither looked up nor parsed again; the payload files are always checked.
     *
     * @throws IntegrityException if a payload file is missing or has another size
     */
    static TrackerAccess.PinnedModel pin(DefaultTracker tracker, PinnedModels pinned, ModelUri uri) {
        byte[] bytes = descriptorBytesIfPresent(tracker, uri);
        String digest = bytes == null ? null : sha256(bytes);
        ModelDescriptor descriptor = digest == null ? null : pinned.get(uri, digest);
        if (descriptor == null) {
            requireRun(tracker, uri.runId());
            if (bytes == null) {
                bytes = descriptorBytes(tracker, uri);
                digest = sha256(bytes);
            }
            descriptor = parseDescriptor(uri, bytes);
        }
        checkPayloadPresent(tracker, uri, descriptor);
        pinned.put(uri, digest, descriptor);
        return new TrackerAccess.PinnedModel(descriptor.model, digest);
    }

    /** Refuses a model of a run that does not exist, asking the store about the id alone. */
    private static void requireRun(DefaultTracker tracker, String runId) {
        if (!tracker.store().runExists(runId)) {
            throw new NotFoundException("No run with id " + runId);
        }
    }

    /** The same, or null when they cannot be read (no such model or run, a bad path): the caller then checks why. */
    static byte[] descriptorBytesIfPresent(DefaultTracker tracker, ModelUri uri) {
        try {
            return descriptorBytes(tracker, uri);
        } catch (RunlogException e) {
            return null;
        }
    }

    /** SHA-256 of descriptor bytes, as 64 lowercase hex characters. */
    static String sha256(byte[] bytes) {
        return Sha256.of(bytes);
    }

    private static String descriptorUri(ModelUri uri) {
        return "runs:/" + uri.runId() + "/" + ArtifactPaths.join(uri.artifactPath(), ModelDescriptor.FILE_NAME);
    }

    /**
     * Reads a model's descriptor and checks it against {@code expectedSha256} when one is given.
     *
     * @throws IntegrityException if the descriptor's bytes have another SHA-256, or it is gone
     */
    static ModelDescriptor checkedDescriptor(DefaultTracker tracker, ModelUri uri, String expectedSha256) {
        byte[] bytes;
        try {
            bytes = descriptorBytes(tracker, uri);
        } catch (NotFoundException gone) {
            if (expectedSha256 == null) {
                throw gone;
            }
            throw new IntegrityException("The descriptor " + descriptorUri(uri) + " is gone; it had SHA-256 "
                    + expectedSha256 + " when the model was registered", gone);
        }
        if (expectedSha256 != null) {
            String actual = sha256(bytes);
            if (!actual.equals(expectedSha256)) {
                throw new IntegrityException("The descriptor " + descriptorUri(uri) + " changed since the model was"
                        + " registered: its SHA-256 is " + actual + ", registration recorded " + expectedSha256);
            }
        }
        return parseDescriptor(uri, bytes);
    }

    static <T> T load(DefaultTracker tracker, String modelUri, Class<T> type, ModelFlavor explicitFlavor) {
        return load(tracker, modelUri, type, explicitFlavor, null);
    }

    /**
     * Loads a model, checking its descriptor against {@code expectedSha256} (when not null) and
     * every payload file against the SHA-256 the descriptor lists, before the flavor sees a byte.
     */
    static <T> T load(DefaultTracker tracker, String modelUri, Class<T> type, ModelFlavor explicitFlavor,
                      String expectedSha256) {
        InputRules.notNull("type", type);
        ModelUri uri = ModelUri.parse(modelUri);
        requireRun(tracker, uri.runId());
        ModelDescriptor descriptor = checkedDescriptor(tracker, uri, expectedSha256);
        ModelFlavor flavor = explicitFlavor != null ? explicitFlavor : ModelFlavors.named(descriptor.model.flavor());
        if (!flavor.name().equals(descriptor.model.flavor())) {
            throw new InvalidInputException("Model " + modelUri + " was saved with the " + descriptor.model.flavor()
                    + " flavor and cannot be loaded with " + flavor.name());
        }
        Path work = tracker.modelCopies().startLoad();
        boolean keep = false;
        try {
            Path payload = Files.createDirectory(work.resolve(ModelDescriptor.PAYLOAD_DIR));
            copyVerifiedPayload(tracker, uri, descriptor, payload);
            T model = flavor.load(payload, type, descriptor.model.flavorConfig());
            // A model that is a path into the download (the files flavor) keeps its directory, which
            // the tracker owns from here on: deleted on release or when the tracker closes.
            keep = model instanceof Path p && p.startsWith(work);
            return model;
        } catch (IOException e) {
            throw new StoreException("Could not load model " + modelUri + ": " + e.getMessage(), e);
        } finally {
            tracker.modelCopies().endLoad(work, keep);
        }
    }

    /**
     * Checks that every payload file the descriptor lists is stored with the size it recorded,
     * from directory listings alone: what registration needs to refuse a model written in part,
     * without reading a model of gigabytes. The SHA-256 of each file is checked on every load.
     *
     * @throws IntegrityException naming the first file that is missing or has another size
     */
    static void checkPayloadPresent(DefaultTracker tracker, ModelUri uri, ModelDescriptor descriptor) {
        String modelUri = "runs:/" + uri.runId() + "/" + uri.artifactPath();
        String payloadPath = ArtifactPaths.join(uri.artifactPath(), ModelDescriptor.PAYLOAD_DIR);
        java.util.Map<String, java.util.Map<String, ArtifactEntry>> listings = new java.util.HashMap<>();
        for (ModelDescriptor.PayloadFile expected : descriptor.files.values()) {
            String artifact = ArtifactPaths.join(payloadPath, expected.path());
            int slash = artifact.lastIndexOf('/');
            String directory = slash < 0 ? "" : artifact.substring(0, slash);
            ArtifactEntry stored = listings.computeIfAbsent(directory, dir -> {
                java.util.Map<String, ArtifactEntry> byPath = new java.util.HashMap<>();
                tracker.artifacts().list(uri.runId(), dir).forEach(entry -> byPath.put(entry.path(), entry));
                return byPath;
            }).get(artifact);
            if (stored == null || stored.isDirectory()) {
                throw new IntegrityException("Payload file " + artifact + " of model " + modelUri
                        + " is missing; its descriptor lists it");
            }
            if (stored.size() != expected.size()) {
                throw new IntegrityException("Payload file " + artifact + " of model " + modelUri + " has "
                        + stored.size() + " bytes, but the descriptor recorded " + expected.size()
                        + " when it was logged: it was written in part, or changed since");
            }
        }
    }

    /**
     * Reads every payload file the descriptor lists, checking its SHA-256, into {@code target} (or
     * nowhere when it is null, to verify only).
     *
     * @throws IntegrityException naming the first file that is missing or changed
     */
    static void copyVerifiedPayload(DefaultTracker tracker, ModelUri uri, ModelDescriptor descriptor, Path target)
            throws IOException {
        String modelUri = "runs:/" + uri.runId() + "/" + uri.artifactPath();
        String payloadPath = ArtifactPaths.join(uri.artifactPath(), ModelDescriptor.PAYLOAD_DIR);
        for (ModelDescriptor.PayloadFile expected : descriptor.files.values()) {
            String artifact = ArtifactPaths.join(payloadPath, expected.path());
            String actual;
            try (InputStream in = tracker.artifacts().open(uri.runId(), artifact);
                 DigestInputStream hashing = Sha256.hashing(in)) {
                if (target == null) {
                    hashing.transferTo(OutputStream.nullOutputStream());
                } else {
                    Path file = target.resolve(expected.path());
                    Files.createDirectories(file.getParent());
                    Files.copy(hashing, file);
                }
                actual = Sha256.hex(hashing);
            } catch (NotFoundException missing) {
                throw new IntegrityException("Payload file " + artifact + " of model " + modelUri
                        + " is missing; its descriptor lists it");
            }
            if (!actual.equals(expected.sha256())) {
                throw new IntegrityException("Payload file " + artifact + " of model " + modelUri + " has SHA-256 "
                        + actual + ", but the descriptor recorded " + expected.sha256()
                        + " when it was logged: the file changed since");
            }
        }
    }

    /** Size and SHA-256 of every file under {@code root}, by '/'-separated relative path. */
    static SortedMap<String, ModelDescriptor.PayloadFile> hashTree(Path root) throws IOException {
        SortedMap<String, ModelDescriptor.PayloadFile> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.filter(Files::isRegularFile).toList()) {
                String relative = root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
                String sha = Sha256.of(p);
                files.put(relative, new ModelDescriptor.PayloadFile(relative, Files.size(p), sha));
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return files;
    }

    /** Checks an unpacked model directory against its descriptor before anything is stored. */
    static ModelDescriptor verifyUnpacked(Path modelDir, String where) throws IOException {
        Path descriptorFile = modelDir.resolve(ModelDescriptor.FILE_NAME);
        if (!Files.isRegularFile(descriptorFile)) {
            throw new IntegrityException(where + " holds no " + ModelDescriptor.FILE_NAME);
        }
        ModelDescriptor descriptor;
        try (InputStream in = Files.newInputStream(descriptorFile)) {
            descriptor = ModelDescriptor.read(in, where);
        }
        try (java.util.stream.Stream<Path> files = Files.walk(modelDir)) {
            // Only the descriptor and the payload: anything else would ride along as part of the model.
            Path example = descriptor.model.inputExample().isPresent() ? modelDir.resolve(ModelDescriptor.INPUT_EXAMPLE) : null;
            Path stray = files.filter(f -> !Files.isDirectory(f) && !f.equals(descriptorFile) && !f.equals(example)
                    && !f.startsWith(modelDir.resolve(ModelDescriptor.PAYLOAD_DIR))).findFirst().orElse(null);
            if (stray != null) {
                throw new IntegrityException(where + " holds '" + modelDir.relativize(stray).toString().replace('\\', '/')
                        + "', which is not part of the model (a model's directory holds " + ModelDescriptor.FILE_NAME
                        + ", its payload under " + ModelDescriptor.PAYLOAD_DIR + "/ and its input example only)");
            }
        }
        Path payload = modelDir.resolve(ModelDescriptor.PAYLOAD_DIR);
        SortedMap<String, ModelDescriptor.PayloadFile> actual = Files.isDirectory(payload) ? hashTree(payload) : new TreeMap<>();
        for (ModelDescriptor.PayloadFile expected : descriptor.files.values()) {
            ModelDescriptor.PayloadFile found = actual.get(expected.path());
            if (found == null) {
                throw new IntegrityException("Payload file data/" + expected.path() + " listed by the descriptor in "
                        + where + " is missing");
            }
            if (!found.sha256().equals(expected.sha256())) {
                throw new IntegrityException("Payload file data/" + expected.path() + " in " + where + " has SHA-256 "
                        + found.sha256() + ", but its descriptor recorded " + expected.sha256());
            }
            if (found.size() != expected.size()) {
                throw new IntegrityException("Payload file data/" + expected.path() + " in " + where + " is " + found.size()
                        + " bytes, but its descriptor recorded " + expected.size());
            }
        }
        for (String path : actual.keySet()) {
            if (!descriptor.files.containsKey(path)) {
                throw new IntegrityException("Payload file data/" + path + " in " + where + " is not in its descriptor");
            }
        }
        return descriptor;
    }

}
