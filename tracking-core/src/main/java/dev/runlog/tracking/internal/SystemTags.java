package dev.runlog.tracking.internal;

import dev.runlog.tracking.ActiveRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code runlog.*} tags every run gets at start: who ran what code. */
final class SystemTags {
    static final String USER = ActiveRun.USER_TAG;
    static final String SOURCE_NAME = ActiveRun.SOURCE_NAME_TAG;
    static final String GIT_COMMIT = ActiveRun.GIT_COMMIT_TAG;
    static final String PARENT_RUN_ID = ActiveRun.PARENT_RUN_ID_TAG;

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

    /**
     * Class-name prefixes of programs that start a JVM only to run someone else's main method:
     * Maven (and so {@code mvn exec:java}), Gradle, IDE runners. A run started under one of them
     * is recorded with the main class the launcher invoked, not with the launcher.
     */
    private static final List<String> LAUNCHER_PREFIXES = List.of(
            "org.codehaus.plexus.classworlds.", "org.codehaus.mojo.exec.", "org.apache.maven.",
            "org.gradle.", "worker.org.gradle.", "com.intellij.rt.", "org.eclipse.jdt.internal.",
            "java.", "javax.", "jdk.", "sun.", "com.sun.");

    /**
     * The class (or jar) the user's program started from: the one the launcher recorded in
     * {@code sun.java.command}, unless that is a launcher such as Maven's, in which case the
     * outermost {@code main} method of a non-launcher class on a live thread.
     */
    static Optional<String> mainClass() {
        String command = System.getProperty("sun.java.command");
        String started = command == null || command.isBlank() ? null : command.trim().split("\\s+")[0];
        if (started == null || isLauncher(started)) {
            Optional<String> invoked = invokedMain(Thread.getAllStackTraces());
            if (invoked.isPresent() || started == null) {
                return invoked;
            }
        }
        return Optional.of(started.length() > 250 ? started.substring(started.length() - 250) : started);
    }

    /**
     * The class of the outermost {@code main} frame that belongs to no launcher, looking first at
     * threads a launcher names after the main it runs ({@code exec:java} calls its thread
     * {@code "<class>.main()"}), then at the {@code main} thread, then at the rest.
     */
    static Optional<String> invokedMain(Map<Thread, StackTraceElement[]> stacks) {
        return stacks.entrySet().stream()
                .sorted(Comparator.comparingInt(e -> threadRank(e.getKey().getName())))
                .map(e -> outermostMain(e.getValue()))
                .flatMap(Optional::stream)
                .findFirst();
    }

    private static int threadRank(String threadName) {
        if (threadName.endsWith(".main()")) {
            return 0;
        }
        return threadName.equals("main") ? 1 : 2;
    }

    private static Optional<String> outermostMain(StackTraceElement[] stack) {
        for (int i = stack.length - 1; i >= 0; i--) {
            StackTraceElement frame = stack[i];
            if (frame.getMethodName().equals("main") && !isLauncher(frame.getClassName())) {
                return Optional.of(frame.getClassName());
            }
        }
        return Optional.empty();
    }

    private static boolean isLauncher(String className) {
        return LAUNCHER_PREFIXES.stream().anyMatch(className::startsWith);
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
