package dev.runlog.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's quickstart is the code in {@link Quickstart}, and that code runs as shown. */
class QuickstartTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Path SOURCE = Path.of("src/main/java/dev/runlog/examples/Quickstart.java");

    @TempDir
    Path dir;
    private Path db;

    @BeforeEach
    void pointDefaultStoreAtTempDir() {
        // Tracker.open() reads this first, so the example writes here and not into the module.
        db = dir.resolve("runlog.db");
        System.setProperty(Tracker.URI_PROPERTY, "sqlite:" + db);
    }

    @AfterEach
    void clear() {
        System.clearProperty(Tracker.URI_PROPERTY);
    }

    @Test
    void readmeQuickstartIsTheCompiledExample() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        Matcher block = Pattern.compile("## Quickstart.*?```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(block.find(), "README.md has a '## Quickstart' section with a java code block");
        List<String> shown = stripped(block.group(1)).stream()
                .filter(line -> !line.startsWith("import ")).filter(line -> !line.isEmpty()).toList();

        String source = Files.readString(SOURCE, StandardCharsets.UTF_8);
        String between = source.substring(source.indexOf("// README:quickstart:begin") + "// README:quickstart:begin".length(),
                source.indexOf("// README:quickstart:end"));
        assertEquals(stripped(between).stream().filter(line -> !line.isEmpty()).toList(), shown);
    }

    @Test
    void quickstartRunsPrintsWhatTheReadmeSaysAndStoresTheRun() {
        String out = captureStdout(Quickstart::readmeQuickstart);
        assertTrue(out.matches("(?s)run [a-z]+-[a-z]+-\\d+ FINISHED, final loss 0\\.0115\\R20 loss points stored\\R"), out);

        assertTrue(Files.isRegularFile(db), "the default store is a SQLite file");
        try (Tracker tracker = Tracker.open("sqlite:" + db)) {
            String experimentId = tracker.getExperimentByName("quickstart").orElseThrow().id();
            assertEquals("quickstart", tracker.getExperiment(experimentId).name());
        }
    }

    @Test
    void aTrainingStepThatThrowsInTheQuickstartPatternIsRecordedFailedWithItsCause() {
        AtomicReference<String> runId = new AtomicReference<>();
        try (Tracker tracker = Tracker.open()) {
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> tracker.run("quickstart", r -> {
                runId.set(r.id());
                r.logParam("learning_rate", 0.1).logParam("epochs", 20);
                r.logMetric("loss", 0.8, 0);
                throw new IllegalStateException("OOM in epoch 1");   // your training step failing
            }));
            assertEquals("OOM in epoch 1", thrown.getMessage(), "the exception reaches the caller unchanged");
        }
        try (Tracker reopened = Tracker.open()) {
            Run run = reopened.getRun(runId.get());
            assertEquals(RunStatus.FAILED, run.info().status());
            assertEquals("java.lang.IllegalStateException", run.data().tags().get(ActiveRun.FAILURE_EXCEPTION_TAG));
            assertEquals("OOM in epoch 1", run.data().tags().get(ActiveRun.FAILURE_MESSAGE_TAG));
            assertEquals(0.8, run.data().metrics().get("loss"), "what was logged before the failure is kept");
        }
    }

    @Test
    void mainSaysWhereTheDataIs() {
        String out = captureStdout(() -> Quickstart.main(new String[0]));
        assertTrue(out.contains("20 loss points stored"), out);
        assertTrue(out.contains("stored in sqlite:" + db), out);
    }

    private static List<String> stripped(String code) {
        return code.lines().map(String::strip).toList();
    }

    private static String captureStdout(Runnable action) {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(original);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
