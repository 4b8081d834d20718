package dev.runlog.tracking.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code runlog.*} tags every run gets at start: who ran what code. */
public final class SystemTags {
    public static final String USER = "runlog.user";
    public static final String SOURCE_NAME = "runlog.source.name";
    public static final String GIT_COMMIT = "runlog.source.git.commit";
    public static final String PARENT_RUN_ID = "runlog.parentRunId";

    private SystemTags() {
    }

    /** The tags that are the same for every run of this process, computed once per tracker. */
    public static Map<String, String> forThisProcess() {
        Map<String, String> tags = new LinkedHashMap<>();
        String user = System.getProperty("user.name");
        if (user != null && !user.isBlank()) {
            tags.put(USER, user);
        }
        mainClass().ifPresent(main -> tags.put(SOURCE_NAME, main));
        gitCommit(Path.of("").toAbsolutePath()).ifPresent(commit -> tags.put(GIT_COMMIT, commit));
        return tags;
    }

    /** The class (or jar) the JVM was started with, as the launcher recorded it. */
    static Optional<String> mainClass() {
        String command = System.getProperty("sun.java.command");
        if (command != null && !command.isBlank()) {
            String first = command.trim().split("\\s+")[0];
            return Optional.of(first.length() > 250 ? first.substring(first.length() - 250) : first);
        }
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getName().equals("main") && e.getValue().length > 0)
                .map(e -> e.getValue()[e.getValue().length - 1].getClassName())
                .findFirst();
    }

    /**
     * The commit checked out in the git work tree holding {@code start}, read from the files under
     * {@code .git} (a worktree's or submodule's {@code .git} file, loose refs and packed refs), so no
     * git process is spawned and no git installation is needed.
     */
    public static Optional<String> gitCommit(Path start) {
        try {
            for (Path dir = start; dir != null; dir = dir.getParent()) {
                Path dotGit = dir.resolve(".git");
                if (Files.isDirectory(dotGit)) {
                    return headCommit(dotGit);
                }
                if (Files.isRegularFile(dotGit)) {
                    String content = Files.readString(dotGit, StandardCharsets.UTF_8).trim();
                    if (content.startsWith("gitdir:")) {
                        return headCommit(dir.resolve(content.substring("gitdir:".length()).trim()).normalize());
                    }
                    return Optional.empty();
                }
            }
        } catch (IOException | RuntimeException e) {
            // A tag we cannot read is not worth failing a run over; the run simply lacks it.
            System.getLogger(SystemTags.class.getName()).log(System.Logger.Level.DEBUG, "cannot read git HEAD", e);
        }
        return Optional.empty();
    }

    private static Optional<String> headCommit(Path gitDir) throws IOException {
        Path headFile = gitDir.resolve("HEAD");
        if (!Files.isRegularFile(headFile)) {
            return Optional.empty();
        }
        String head = Files.readString(headFile, StandardCharsets.UTF_8).trim();
        if (!head.startsWith("ref:")) {
            return isObjectId(head) ? Optional.of(head) : Optional.empty();
        }
        String ref = head.substring("ref:".length()).trim();
        Path commonDir = gitDir;
        Path commonDirFile = gitDir.resolve("commondir");
        if (Files.isRegularFile(commonDirFile)) {
            commonDir = gitDir.resolve(Files.readString(commonDirFile, StandardCharsets.UTF_8).trim()).normalize();
        }
        for (Path base : List.of(gitDir, commonDir)) {
            Path loose = base.resolve(ref);
            if (Files.isRegularFile(loose)) {
                String id = Files.readString(loose, StandardCharsets.UTF_8).trim();
                return isObjectId(id) ? Optional.of(id) : Optional.empty();
            }
        }
        Path packed = commonDir.resolve("packed-refs");
        if (Files.isRegularFile(packed)) {
            for (String line : Files.readAllLines(packed, StandardCharsets.UTF_8)) {
                String[] parts = line.trim().split(" ");
                if (parts.length == 2 && parts[1].equals(ref) && isObjectId(parts[0])) {
                    return Optional.of(parts[0]);
                }
            }
        }
        return Optional.empty(); // a branch with no commit yet
    }

    private static boolean isObjectId(String s) {
        return (s.length() == 40 || s.length() == 64) && s.chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }
}
