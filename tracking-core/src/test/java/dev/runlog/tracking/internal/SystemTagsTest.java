package dev.runlog.tracking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The git commit tag is read from the files under .git, in each layout git writes. */
class SystemTagsTest {
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    private static final String OTHER = "fedcba9876543210fedcba9876543210fedcba98";

    @TempDir
    Path dir;

    @Test
    void looseBranchRefFromASubdirectory() throws IOException {
        Path git = Files.createDirectories(dir.resolve("repo/.git/refs/heads"));
        Files.writeString(git.getParent().getParent().resolve("HEAD"), "ref: refs/heads/main\n");
        Files.writeString(git.resolve("main"), COMMIT + "\n");
        Path work = Files.createDirectories(dir.resolve("repo/src/deep"));
        assertEquals(Optional.of(COMMIT), SystemTags.gitCommit(work));
    }

    @Test
    void packedRef() throws IOException {
        Path git = Files.createDirectories(dir.resolve(".git"));
        Files.writeString(git.resolve("HEAD"), "ref: refs/heads/feature/x\n");
        Files.writeString(git.resolve("packed-refs"), "# pack-refs with: peeled fully-peeled sorted\n"
                + OTHER + " refs/heads/main\n" + COMMIT + " refs/heads/feature/x\n^" + OTHER + "\n");
        assertEquals(Optional.of(COMMIT), SystemTags.gitCommit(dir));
    }

    @Test
    void detachedHead() throws IOException {
        Path git = Files.createDirectories(dir.resolve(".git"));
        Files.writeString(git.resolve("HEAD"), COMMIT + "\n");
        assertEquals(Optional.of(COMMIT), SystemTags.gitCommit(dir));
    }

    @Test
    void worktreeGitFileWithCommonDir() throws IOException {
        Path main = Files.createDirectories(dir.resolve("main/.git/refs/heads"));
        Files.writeString(main.resolve("topic"), COMMIT + "\n");
        Path wtGit = Files.createDirectories(dir.resolve("main/.git/worktrees/wt"));
        Files.writeString(wtGit.resolve("HEAD"), "ref: refs/heads/topic\n");
        Files.writeString(wtGit.resolve("commondir"), "../..\n");
        Path worktree = Files.createDirectories(dir.resolve("wt"));
        Files.writeString(worktree.resolve(".git"), "gitdir: " + wtGit + "\n");
        assertEquals(Optional.of(COMMIT), SystemTags.gitCommit(worktree));
    }

    @Test
    void branchWithoutCommitsAndNoRepositoryGiveNothing() throws IOException {
        Path git = Files.createDirectories(dir.resolve("repo/.git"));
        Files.writeString(git.resolve("HEAD"), "ref: refs/heads/main\n");
        assertEquals(Optional.empty(), SystemTags.gitCommit(dir.resolve("repo")));
        assertEquals(Optional.empty(), SystemTags.gitCommit(Files.createDirectories(dir.resolve("plain"))));
    }

    /** A store URI passed as an argument, as the examples take one, leaves no password in the shared store's tags. */
    @Test
    void theCommandLineTagHidesTheCredentialsOfAUriAmongTheArguments() {
        assertEquals("com.example.Train postgresql://(credentials hidden)@db.team:5432/runlog --epochs 3",
                Reproducibility.commandLine("com.example.Train postgresql://ana:s3cret!@db.team:5432/runlog --epochs 3"));
        assertEquals("train.jar postgresql://db/runlog?user=ana&password=(hidden)&ssl=true",
                Reproducibility.commandLine("train.jar postgresql://db/runlog?user=ana&PASSWORD=x%21y&ssl=true")
                        .replace("PASSWORD", "password"));
        assertEquals("com.example.Train sqlite:runlog.db", Reproducibility.commandLine("com.example.Train sqlite:runlog.db"));
        assertEquals("Mk sqlite:s.db --db-password (hidden) --api-key=(hidden) --token (hidden) -secret (hidden) --epochs 3",
                Reproducibility.commandLine("Mk sqlite:s.db --db-password PW2 --api-key=PW3 --token PW4 -secret PW5 --epochs 3"));
        assertEquals("Mk --use-token --epochs 3", Reproducibility.commandLine("Mk --use-token --epochs 3"),
                "a flag named like a secret followed by another option hides nothing");
    }
}
