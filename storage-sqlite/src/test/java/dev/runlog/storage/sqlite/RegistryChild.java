package dev.runlog.storage.sqlite;

import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.Stage;
import dev.runlog.registry.TransitionOptions;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.LoggedModel;
import dev.runlog.tracking.ModelFlavor;
import dev.runlog.tracking.Tracker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Run in a child JVM by {@link RegistryMultiProcessTest}. The first argument is the mode, the second
 * the database file, the third the registered model's name; the rest depend on the mode:
 *
 * <pre>
 * register &lt;db&gt; &lt;model&gt; &lt;child&gt; &lt;count&gt; &lt;go-file&gt;
 *     logs one model, prints SOURCE &lt;child&gt; &lt;uri&gt; and READY &lt;child&gt;, waits for the go file,
 *     registers it count times printing VERSION &lt;child&gt; &lt;n&gt; for each.
 * promote &lt;db&gt; &lt;model&gt; &lt;child&gt; &lt;steps&gt; &lt;versions&gt; &lt;seed&gt; &lt;go-file&gt;
 *     prints READY &lt;child&gt;, waits for the go file, then steps times moves a random version of
 *     1..versions to Production, on even steps with transition(archiveExisting), on odd ones with
 *     promote, the comment naming the step; prints STEP &lt;child&gt; &lt;step&gt; &lt;how&gt; &lt;version&gt;
 *     after each, then reads the stage back and prints VIOLATION ... if not exactly one version is
 *     in Production.
 * deploy &lt;db&gt; &lt;model&gt; &lt;promote: yes|wait&gt;
 *     logs {version: 2, from: child}, registers it and prints REGISTERED &lt;n&gt;; with "wait" it
 *     then waits for the line PROMOTE on stdin; it transitions the version to Production with
 *     archiveExisting and prints PROMOTED &lt;n&gt;.
 * </pre>
 *
 * Every mode ends by printing DONE and exiting 0; any failure goes to stderr with exit code 1.
 */
public final class RegistryChild {
    static final String EXPERIMENT = "registry-multi-process";
    /** How long a child waits for the parent's go signal before giving up. */
    private static final long GO_TIMEOUT_MS = 60_000;

    private RegistryChild() {
    }

    /** The model a child logs in deploy mode, and what the parent's handle must serve after the swap. */
    static Map<String, Object> childModel() {
        return Map.of("version", 2, "from", "child");
    }

    /** The audit comment of a child's step, by which the parent finds its STAGE_CHANGED event. */
    static String stepComment(int child, int step) {
        return "child " + child + " step " + step;
    }

    public static void main(String[] args) {
        try {
            switch (args[0]) {
                case "register" -> register(args);
                case "promote" -> promote(args);
                case "deploy" -> deploy(args);
                default -> throw new IllegalArgumentException("unknown mode " + args[0]);
            }
        } catch (Throwable t) {
            t.printStackTrace();
            System.err.flush();
            System.exit(1);
        }
        System.out.println("DONE");
        System.out.flush();
        System.exit(0);
    }

    private static Tracker open(String file) {
        // No shutdown hook: the parent kills leftover children, and a hook would only race with it.
        return Tracker.builder().uri("sqlite:" + file).shutdownHook(false).build();
    }

    private static LoggedModel logModel(Tracker tracker, Object model) {
        try (ActiveRun run = tracker.startRun(EXPERIMENT)) {
            return run.logModel("model", model, ModelFlavor.json());
        }
    }

    private static void register(String[] args) throws Exception {
        String name = args[2];
        int child = Integer.parseInt(args[3]);
        int count = Integer.parseInt(args[4]);
        Path go = Path.of(args[5]);
        try (Tracker tracker = open(args[1])) {
            ModelRegistry registry = ModelRegistry.of(tracker);
            // One model per child, so the parent can tell from a version's source who registered it.
            LoggedModel model = logModel(tracker, Map.of("child", child));
            System.out.println("SOURCE " + child + " " + model.uri());
            System.out.println("READY " + child);
            awaitGo(go);
            for (int i = 0; i < count; i++) {
                ModelVersion v = registry.register(name, model.uri());
                System.out.println("VERSION " + child + " " + v.version());
            }
        }
    }

    private static void promote(String[] args) throws Exception {
        String name = args[2];
        int child = Integer.parseInt(args[3]);
        int steps = Integer.parseInt(args[4]);
        int versions = Integer.parseInt(args[5]);
        Random random = new Random(Long.parseLong(args[6]));
        Path go = Path.of(args[7]);
        try (Tracker tracker = open(args[1])) {
            ModelRegistry registry = ModelRegistry.of(tracker);
            System.out.println("READY " + child);
            awaitGo(go);
            for (int step = 0; step < steps; step++) {
                int version = 1 + random.nextInt(versions);
                String comment = stepComment(child, step);
                String how;
                ModelVersion moved;
                if (step % 2 == 0) {
                    how = "transition";
                    moved = registry.transition(name, version, Stage.PRODUCTION,
                            TransitionOptions.archiveExisting().comment(comment));
                } else {
                    how = "promote";
                    // promote archives the previous holder in the same transaction.
                    moved = registry.promote(name, version, Stage.PRODUCTION,
                            TransitionOptions.defaults().comment(comment));
                }
                if (moved.version() != version || moved.stage() != Stage.PRODUCTION) {
                    System.out.println("VIOLATION " + child + " " + step + " " + how + " of version " + version
                            + " returned " + moved);
                }
                System.out.println("STEP " + child + " " + step + " " + how + " " + version);
                // A fresh read, through a new read transaction: at most one version may hold the stage.
                List<Integer> inProduction = registry.searchVersions("name = '" + name + "'").stream()
                        .filter(v -> v.stage() == Stage.PRODUCTION).map(ModelVersion::version).toList();
                if (inProduction.size() > 1) {
                    System.out.println("VIOLATION " + child + " " + step + " versions in Production: " + inProduction);
                } else if (inProduction.isEmpty()) {
                    // Every step puts a version in Production and nothing takes one out without
                    // putting another in, so an empty stage is just as wrong.
                    System.out.println("VIOLATION " + child + " " + step + " no version in Production");
                }
            }
        }
    }

    private static void deploy(String[] args) throws Exception {
        String name = args[2];
        boolean wait = args[3].equals("wait");
        try (Tracker tracker = open(args[1])) {
            ModelRegistry registry = ModelRegistry.of(tracker);
            LoggedModel model = logModel(tracker, childModel());
            ModelVersion v = registry.register(name, model.uri());
            System.out.println("REGISTERED " + v.version());
            System.out.flush();
            if (wait) {
                BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                String line = stdin.readLine();
                if (!"PROMOTE".equals(line)) {
                    throw new IllegalStateException("expected PROMOTE on stdin, got " + line);
                }
            }
            ModelVersion promoted = registry.transition(name, v.version(), Stage.PRODUCTION,
                    TransitionOptions.archiveExisting().comment("promoted by a child JVM"));
            System.out.println("PROMOTED " + promoted.version());
        }
    }

    /** Polls for the parent's go file: every child starts its work within a few ms of the others. */
    private static void awaitGo(Path go) throws InterruptedException {
        long deadline = System.nanoTime() + GO_TIMEOUT_MS * 1_000_000;
        while (!Files.exists(go)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no go file " + go + " within " + GO_TIMEOUT_MS + " ms");
            }
            Thread.sleep(2);
        }
    }
}
