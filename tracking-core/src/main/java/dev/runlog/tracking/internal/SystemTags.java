package dev.runlog.tracking.internal;

import dev.runlog.tracking.ActiveRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Collections;
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

    // Read at the first run of the process, not when a tracker opens: reading the git work tree
    // (the index, every tracked file's attributes, the commit's tree) can take a few hundred
    // milliseconds in a large repository, which neither opening a store nor every test's tracker
    // should pay.
    private static volatile Map<String, String> processTags;

    /** The tags that are the same for every run of this process, read once, at its first run. */
    public static Map<String, String> forThisProcess() {
        Map<String, String> tags = processTags;
        if (tags == null) {
            synchronized (SystemTags.class) {
                tags = processTags;
                if (tags == null) {
                    tags = Collections.unmodifiableMap(read());
                    processTags = tags;
                }
            }
        }
        return tags;
    }

    private static Map<String, String> read() {
        Map<String, String> tags = new LinkedHashMap<>();
        String user = System.getProperty("user.name");
        if (user != null && !user.isBlank()) {
            tags.put(USER, user);
        }
        mainClass().ifPresent(main -> tags.put(SOURCE_NAME, main));
        tags.putAll(Reproducibility.tags(Path.of("").toAbsolutePath()));
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
     * The commit checked out in the git work tree holding {@code start}; see {@link GitWorkTree}.
     */
    public static Optional<String> gitCommit(Path start) {
        try {
            Optional<GitWorkTree> tree = GitWorkTree.locate(start);
            return tree.isPresent() ? tree.get().headCommit() : Optional.empty();
        } catch (IOException | RuntimeException e) {
            // A tag we cannot read is not worth failing a run over; the run simply lacks it.
            System.getLogger(SystemTags.class.getName()).log(System.Logger.Level.DEBUG, "cannot read git HEAD", e);
        }
        return Optional.empty();
    }
}
