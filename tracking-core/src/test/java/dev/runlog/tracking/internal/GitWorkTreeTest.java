package dev.runlog.tracking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dirty flag and branch read from .git, against a repository the real git wrote (index
 * versions 2 and 4), so the reader follows git's format rather than our idea of it.
 */
class GitWorkTreeTest {
    @TempDir
    static Path dir;
    private static boolean gitInstalled;

    @BeforeAll
    static void findGit() {
        gitInstalled = SystemMetricsSampler.onPath("git").isPresent();
    }

    private static void git(Path repo, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@t",
                "-c", "commit.gpgsign=false", "-C", repo.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), String.join(" ", command) + ": " + output);
    }

    private static Path repository(String name, int indexVersion) throws Exception {
        Path repo = Files.createDirectories(dir.resolve(name));
        git(repo, "init", "-q", "-b", "main");
        Files.createDirectories(repo.resolve("src/deep"));
        Files.writeString(repo.resolve("train.py"), "lr = 0.1\n");
        Files.writeString(repo.resolve("src/deep/model.java"), "class Model {}\n");
        Files.writeString(repo.resolve("src/deep/model.json"), "{}\n");
        git(repo, "add", ".");
        git(repo, "update-index", "--index-version", Integer.toString(indexVersion));
        git(repo, "commit", "-q", "-m", "first");
        return repo;
    }

    private static Optional<Boolean> dirty(Path repo) throws IOException {
        return GitWorkTree.locate(repo.resolve("src")).orElseThrow().dirty();
    }

    @Test
    void cleanUntilATrackedFileChangesContentEvenWithItsSizeAndTimeKept() throws Exception {
        assumeTrue(gitInstalled, "git is not installed");
        for (int version : new int[] {2, 4}) {
            Path repo = repository("v" + version, version);
            assertEquals(Optional.of(false), dirty(repo), "index v" + version);
            assertEquals(Optional.of("main"), GitWorkTree.locate(repo).orElseThrow().branch());

            Path file = repo.resolve("src/deep/model.json");
            FileTime time = Files.getLastModifiedTime(file);
            Files.setLastModifiedTime(file, FileTime.fromMillis(time.toMillis() + 60_000));
            assertEquals(Optional.of(false), dirty(repo), "touched, same content: clean, as git says");

            Files.writeString(file, "[]\n"); // same size
            Files.setLastModifiedTime(file, time);
            Files.setLastModifiedTime(file, FileTime.fromMillis(time.toMillis() + 1));
            assertEquals(Optional.of(true), dirty(repo), "index v" + version);

            git(repo, "checkout", "-q", "--", ".");
            Files.writeString(repo.resolve("untracked.txt"), "x");
            assertEquals(Optional.of(false), dirty(repo), "untracked files do not count");

            Files.delete(repo.resolve("train.py"));
            assertEquals(Optional.of(true), dirty(repo), "a deleted tracked file");
        }
    }

    @Test
    void anExecutableBitChangedIsDirtyUnlessTheRepositoryIgnoresModes() throws Exception {
        assumeTrue(gitInstalled, "git is not installed");
        Path repo = repository("mode", 2);
        Path script = repo.resolve("train.py");
        java.util.Set<java.nio.file.attribute.PosixFilePermission> before = Files.getPosixFilePermissions(script);
        java.util.Set<java.nio.file.attribute.PosixFilePermission> executable = new java.util.HashSet<>(before);
        executable.add(java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE);
        Files.setPosixFilePermissions(script, executable);
        assertEquals(Optional.of(true), dirty(repo), "chmod +x shows in git status");
        git(repo, "config", "core.fileMode", "false");
        assertEquals(Optional.of(false), dirty(repo), "git status ignores it with core.filemode false");
        git(repo, "config", "core.fileMode", "true");
        Files.setPosixFilePermissions(script, before);
        assertEquals(Optional.of(false), dirty(repo), "back as committed");
    }

    @Test
    void changesStagedButNotCommittedAreDirtyWithLooseAndPackedObjects() throws Exception {
        assumeTrue(gitInstalled, "git is not installed");
        Path repo = repository("staged", 2);
        for (int i = 0; i < 3; i++) { // a history whose trees and blobs pack as deltas of each other
            Files.writeString(repo.resolve("src/deep/model.java"), "class Model { int v = " + i + "; }\n".repeat(40));
            git(repo, "commit", "-q", "-am", "change " + i);
        }
        for (boolean packed : new boolean[] {false, true}) {
            if (packed) {
                git(repo, "gc", "-q", "--aggressive", "--prune=now");
                assertTrue(Files.list(repo.resolve(".git/objects/pack")).anyMatch(f -> f.toString().endsWith(".idx")));
            }
            String where = packed ? "packed" : "loose";
            assertEquals(Optional.of(false), dirty(repo), where);

            Files.writeString(repo.resolve("train.py"), "lr = 0.2\n");
            git(repo, "add", "train.py");
            assertEquals(Optional.of(true), dirty(repo), "a staged edit, " + where);
            git(repo, "reset", "-q", "--hard");
            assertEquals(Optional.of(false), dirty(repo), where);

            Files.writeString(repo.resolve("new.txt"), "x");
            git(repo, "add", "new.txt");
            assertEquals(Optional.of(true), dirty(repo), "a staged new file, " + where);
            git(repo, "rm", "-q", "--cached", "new.txt");
            assertEquals(Optional.of(false), dirty(repo), "unstaged again, untracked: " + where);
            Files.delete(repo.resolve("new.txt"));

            git(repo, "rm", "-q", "--cached", "train.py");
            assertEquals(Optional.of(true), dirty(repo), "a staged removal, the file still there, " + where);
            git(repo, "reset", "-q", "--hard");

            git(repo, "update-index", "--chmod=+x", "train.py");
            assertEquals(Optional.of(true), dirty(repo), "a staged mode change, " + where);
            git(repo, "reset", "-q", "--hard");
            assertEquals(Optional.of(false), dirty(repo), where);
        }
    }

    @Test
    void filesStagedBeforeTheFirstCommitAreDirty() throws Exception {
        assumeTrue(gitInstalled, "git is not installed");
        Path repo = Files.createDirectories(dir.resolve("fresh"));
        git(repo, "init", "-q", "-b", "main");
        Files.writeString(repo.resolve("a.txt"), "a");
        git(repo, "add", "a.txt");
        assertEquals(Optional.of(true), dirty(repo));
    }

    @Test
    void noIndexNoFlag() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("bare-ish/.git"));
        Files.writeString(repo.resolve("HEAD"), "ref: refs/heads/main\n");
        assertEquals(Optional.empty(), GitWorkTree.locate(repo.getParent()).orElseThrow().dirty());
    }
}
