package dev.runlog.tracking.internal;

import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.spi.ArtifactPaths;
import dev.runlog.tracking.spi.ArtifactStore;
import dev.runlog.tracking.spi.IoFailures;
import dev.runlog.tracking.spi.TrackingStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Moving a run's files in and out: uploads that record their digests in the tracking store and
 * never write into a logged model, and downloads of a file or a tree. The tracker checks that it is
 * open and that the run exists before it calls here.
 */
final class RunArtifacts {
    /** How many stored files wait for their records at most, in {@link #uploadTree}. */
    private static final int RECORD_BATCH = 64;
    /** Files stored since the last record, this many bytes together, are recorded at once. */
    private static final long RECORD_AT_ONCE_BYTES = 1024 * 1024;
    /** A downloaded file beside its target until it checked, named after its process (see Temp.ownedFile). */
    static final String PART_PREFIX = ".runlog-download-";
    static final String PART_SUFFIX = ".part";
    /** A directory's download, staged in its target directory until every file checked (see Temp.ownedDirectory). */
    static final String STAGING_PREFIX = ".runlog-download-dir-";

    private final TrackingStore store;
    private final ArtifactStore artifacts;

    RunArtifacts(TrackingStore store, ArtifactStore artifacts) {
        this.store = store;
        this.artifacts = artifacts;
    }

    /** Every file under an artifact directory, recursively, sorted by path. */
    List<ArtifactEntry> filesUnder(String runId, String dir) {
        List<ArtifactEntry> files = new java.util.ArrayList<>();
        for (ArtifactEntry entry : artifacts.list(runId, dir)) {
            if (entry.isDirectory()) {
                files.addAll(filesUnder(runId, entry.path()));
            } else {
                files.add(entry);
            }
        }
        return files;
    }

    /**
     * Stores one file and records its digest.
     *
     * @throws ConflictException if the path is in a logged model's directory; nothing is written then
     */
    ArtifactEntry upload(String runId, String path, InputStream content) {
        ModelGuard.checkFilesWritable(store, runId, List.of(ArtifactPaths.normalize(path)));
        ArtifactEntry stored = artifacts.put(runId, path, content);
        store.logArtifacts(runId, List.of(stored));
        return stored;
    }

    /**
     * Stores every file of a local tree under {@code artifactDir} and records their digests, a few
     * files a write. Links are refused, not followed: a link could pull in any file of the machine.
     * Model descriptors ({@code MLmodel.json}) are stored after every other file, so that a write
     * cut short never leaves a descriptor beside a missing or partial payload.
     *
     * @throws ConflictException if a file would land in a logged model's directory; nothing is written then
     */
    List<ArtifactEntry> uploadTree(String runId, Path directory, String artifactDir) {
        String dir = ArtifactPaths.normalize(artifactDir);
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidInputException("Cannot log artifacts from " + directory + ": it is not a directory");
        }
        List<ArtifactEntry> stored = new java.util.ArrayList<>();
        try {
            // Look at the whole tree first: a refused tree must leave nothing stored.
            List<Path> files = new java.util.ArrayList<>();
            try (Stream<Path> paths = Files.walk(directory)) {
                for (Path p : paths.sorted().toList()) {
                    if (Files.isSymbolicLink(p)) {
                        throw new InvalidInputException("Cannot log artifacts from " + directory + ": " + p
                                + " is a symbolic link; links are not followed");
                    }
                    if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                        files.add(p);
                    }
                }
            }
            Map<String, Path> targets = new LinkedHashMap<>();
            for (Path p : files) {
                String relative = directory.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
                targets.put(ArtifactPaths.join(dir, relative), p);
            }
            ModelGuard.checkFilesWritable(store, runId, targets.keySet());
            List<Map.Entry<String, Path>> ordered = new java.util.ArrayList<>(targets.entrySet());
            // A stable sort: descriptors last, everything else in walk order.
            ordered.sort(java.util.Comparator.comparing(
                    (Map.Entry<String, Path> e) -> e.getValue().getFileName().toString().equals(ModelDescriptor.FILE_NAME)));
            // Recorded as they go, a few at a time and a large file at once: a file stored but not yet
            // recorded reads as changed (a file logged again) or unvouched for (a new one) until its
            // record comes, so a tree cut short (kill -9 in a gigabyte file) leaves few such files.
            List<ArtifactEntry> unrecorded = new java.util.ArrayList<>();
            long unrecordedBytes = 0;
            for (Map.Entry<String, Path> target : ordered) {
                if (!unrecorded.isEmpty() && unrecordedBytes + Files.size(target.getValue()) >= RECORD_AT_ONCE_BYTES) {
                    // Recorded before a large file is stored: they would wait for its record the time
                    // its upload takes (a checkpoint of gigabytes: minutes), unvouched for all along.
                    store.logArtifacts(runId, List.copyOf(unrecorded));
                    unrecorded.clear();
                    unrecordedBytes = 0;
                }
                ArtifactEntry entry;
                try (InputStream in = Files.newInputStream(target.getValue())) {
                    entry = artifacts.put(runId, target.getKey(), in);
                }
                stored.add(entry);
                unrecorded.add(entry);
                unrecordedBytes += entry.size();
                if (unrecorded.size() >= RECORD_BATCH || unrecordedBytes >= RECORD_AT_ONCE_BYTES) {
                    store.logArtifacts(runId, List.copyOf(unrecorded));
                    unrecorded.clear();
                    unrecordedBytes = 0;
                }
            }
            if (!unrecorded.isEmpty()) {
                store.logArtifacts(runId, unrecorded);
            }
        } catch (IOException e) {
            throw IoFailures.storeFailure("Could not read artifacts from " + directory, e);
        }
        return stored;
    }

    /**
     * Where a listed file goes under {@code result}: the path an artifact store lists is checked as
     * any path a user gives, so a store (a plugin, a bucket holding a planted key) cannot send a
     * download outside its target.
     */
    private static Path confined(Path result, String runId, String listed, String prefix) {
        String path;
        try {
            path = ArtifactPaths.normalize(listed);
        } catch (InvalidInputException e) {
            throw new IntegrityException("The artifact store lists '" + listed + "' among the files of run " + runId
                    + ", which is no artifact path (" + e.getMessage() + "); nothing is written there");
        }
        if (!path.startsWith(prefix) || path.length() == prefix.length()) {
            throw new IntegrityException("The artifact store lists '" + listed + "' under '" + prefix + "' of run " + runId
                    + ", where it does not lie; nothing is written there");
        }
        return result.resolve(path.substring(prefix.length()));
    }

    /**
     * Writes {@code in} beside {@code target} and moves it into place once the whole content was
     * read (and so checked): a file that fails its check never lies at the target. The file beside
     * it is named after this process, so one a killed download left is deleted by the next.
     */
    private static void copyIntoPlace(InputStream in, Path target) throws IOException {
        Path part = Temp.deletedAtShutdown(Temp.ownedFile(target.toAbsolutePath().getParent(), PART_PREFIX, PART_SUFFIX));
        try {
            Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(part);
            Temp.released(part);
        }
    }

    /**
     * Copies each file of a directory's download into a private staging directory in
     * {@code targetDirectory}, where its check (as its stream ends) happens, and moves them into
     * place only once all of them passed: a download that fails on its tenth file leaves the target
     * as it found it, with none of the first nine and no directories made for them. A staging
     * directory a killed download left is deleted by the next download into the same directory.
     */
    private void placeChecked(String runId, Path targetDirectory, Map<Path, ArtifactEntry> targets,
            Map<String, ArtifactEntry> recorded) throws IOException {
        Set<Path> parents = new HashSet<>();
        for (Path target : targets.keySet()) {
            if (parents.add(target.getParent())) {
                directoriesWithoutLinks(targetDirectory, target.getParent(), false);
            }
        }
        Path staging = Temp.deletedAtShutdown(Temp.ownedDirectory(targetDirectory, STAGING_PREFIX));
        try {
            Map<Path, Path> staged = new LinkedHashMap<>();
            int n = 0;
            for (Map.Entry<Path, ArtifactEntry> target : targets.entrySet()) {
                Path copy = staging.resolve(Integer.toString(n++));
                try (InputStream in = checkedOpen(runId, target.getValue().path(), recorded.get(target.getValue().path()))) {
                    Files.copy(in, copy);
                }
                staged.put(target.getKey(), copy);
            }
            Set<Path> made = new HashSet<>(); // each directory made once, not once per file in it
            for (Map.Entry<Path, Path> file : staged.entrySet()) {
                Path target = file.getKey();
                if (made.add(target.getParent())) {
                    directoriesWithoutLinks(targetDirectory, target.getParent());
                }
                try {
                    Files.move(file.getValue(), target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    // A directory of the target mounted from another file system: copied there, checked all the same.
                    Files.move(file.getValue(), target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } finally {
            Temp.deleteTree(staging);
            Temp.released(staging);
        }
    }

    /**
     * Creates {@code dir} and the directories between {@code base} and it, refusing to go through a
     * symbolic link below {@code base}: one planted in the target would send the run's files
     * wherever it points. ({@code base} is the caller's own choice and may be a link.)
     */
    private static void directoriesWithoutLinks(Path base, Path dir) throws IOException {
        directoriesWithoutLinks(base, dir, true);
    }

    /** As {@link #directoriesWithoutLinks(Path, Path)}; with {@code create} false it only checks what exists. */
    private static void directoriesWithoutLinks(Path base, Path dir, boolean create) throws IOException {
        if (dir.equals(base)) {
            return;
        }
        Path current = base;
        for (Path part : base.relativize(dir)) {
            current = current.resolve(part.toString());
            if (Files.isSymbolicLink(current)) {
                throw new ConflictException("Cannot download into " + current + ": it is a symbolic link, which a"
                        + " download does not follow; remove it or choose another target directory");
            }
            if (!create) {
                continue;
            }
            if (!Files.isDirectory(current, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(current);
            }
        }
    }

    /**
     * A file's content, checked as it is read against the size and SHA-256 recorded when it was
     * stored (see {@link VerifiedInput}).
     *
     * @throws NotFoundException  if there is no such file
     * @throws IntegrityException if the file has no record: it was not logged through Runlog
     */
    InputStream open(String runId, String normalized) {
        // The record before the bytes: a file replaced meanwhile then shows its new bytes under the
        // old record, which VerifiedInput reads again, never its old bytes under a newer record.
        return checkedOpen(runId, normalized, record(runId, normalized));
    }

    private InputStream checkedOpen(String runId, String normalized, ArtifactEntry known) {
        InputStream in;
        try {
            in = artifacts.open(runId, normalized);
        } catch (NotFoundException e) {
            if ((known != null ? known : record(runId, normalized)) != null) {
                // Logged and then lost (deleted on disk, in the bucket): damage to report, not a file never logged.
                throw new IntegrityException(missingMessage(runId, normalized), e);
            }
            throw e;
        }
        ArtifactEntry recorded = known != null ? known : awaitRecord(runId, normalized);
        if (recorded == null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // refused anyway
            }
            throw new IntegrityException("Artifact '" + normalized + "' of run " + runId + " has no record in the store:"
                    + " it was not logged through Runlog (put there by other means, or left by a logArtifacts cut"
                    + " short), so nothing vouches for it; runlog doctor lists such files");
        }
        return VerifiedInput.of(in, runId, recorded, () -> record(runId, normalized));
    }

    private static String missingMessage(String runId, String path) {
        return "Artifact '" + path + "' of run " + runId + " was recorded when stored but is missing; runlog doctor"
                + " lists every missing or changed file";
    }

    /**
     * The record of a file found without one: a file being logged right now is stored before it is
     * recorded, so the record is looked for again a few times over some 200 ms; null if none came.
     */
    private ArtifactEntry awaitRecord(String runId, String normalized) {
        for (int i = 0; i < 10; i++) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            ArtifactEntry recorded = record(runId, normalized);
            if (recorded != null) {
                return recorded;
            }
        }
        return null;
    }

    /** The store's record of one file, or null when it has none. */
    private ArtifactEntry record(String runId, String normalized) {
        return store.recordedArtifact(runId, normalized).filter(entry -> !entry.isDirectory()).orElse(null);
    }

    /** Copies the file or tree at {@code normalized} into {@code targetDirectory}; see {@code Tracker#downloadArtifacts}. */
    Path download(String runId, String normalized, Path targetDirectory) {
        Path target = targetDirectory.toAbsolutePath().normalize();
        Path firstMissing = null; // the highest directory this download makes, to take back if it fails
        for (Path p = target; p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS); p = p.getParent()) {
            firstMissing = p;
        }
        try {
            return downloadInto(runId, normalized, targetDirectory);
        } catch (RuntimeException e) {
            // A failed download leaves no trace, not even the target directory it made: taken back
            // up to the first that was there before, each only while empty.
            for (Path p = target; firstMissing != null && p != null && p.startsWith(firstMissing); p = p.getParent()) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException notEmpty) {
                    break; // something else was put there meanwhile: kept
                }
            }
            throw e;
        }
    }

    private Path downloadInto(String runId, String normalized, Path targetDirectory) {
        String lastSegment = normalized.substring(normalized.lastIndexOf('/') + 1);
        Path result = normalized.isEmpty() ? targetDirectory : targetDirectory.resolve(lastSegment);
        try {
            if (!normalized.isEmpty() && artifacts.list(runId, normalized).isEmpty()) {
                // Not a directory with content: a single file, or nothing, which open() reports.
                try (InputStream in = checkedOpen(runId, normalized, record(runId, normalized))) {
                    Files.createDirectories(targetDirectory);
                    copyIntoPlace(in, result);
                }
                return result;
            }
            List<ArtifactEntry> files = filesUnder(runId, normalized);
            if (files.isEmpty() && !normalized.isEmpty()) {
                throw new NotFoundException("Run " + runId + " has no artifacts under '" + normalized + "'");
            }
            String prefix = normalized.isEmpty() ? "" : normalized + "/";
            Map<String, ArtifactEntry> recorded = new java.util.HashMap<>();
            store.recordedArtifacts(runId).forEach(entry -> recorded.put(entry.path(), entry));
            // A file recorded under the directory that the store no longer lists is lost: a download
            // that left it out would look whole. Known before a byte is written.
            Set<String> listed = new HashSet<>();
            files.forEach(file -> listed.add(file.path()));
            for (String path : recorded.keySet()) {
                if (path.startsWith(prefix) && !listed.contains(path)) {
                    throw new IntegrityException(missingMessage(runId, path));
                }
            }
            Map<Path, ArtifactEntry> targets = new LinkedHashMap<>();
            for (ArtifactEntry file : files) {
                targets.put(confined(result, runId, file.path(), prefix), file);
            }
            placeChecked(runId, targetDirectory, targets, recorded);
            return result;
        } catch (IOException e) {
            throw IoFailures.storeFailure("Could not download artifacts '" + normalized + "' of run " + runId
                    + " to " + targetDirectory, e);
        }
    }
}
