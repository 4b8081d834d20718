package dev.runlog.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.examples.ml.Hyperparameters;
import dev.runlog.examples.ml.LabeledData;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.Stage;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.Tracker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link IrisPipeline} on a SQLite store in a temporary directory, as a user's first run would be. */
class IrisPipelineTest {
    private static final Pattern STAGE_LINE = Pattern.compile("iris-classifier version (\\d+): (\\w+)");

    @TempDir
    Path dir;
    private Tracker tracker;
    private ModelRegistry registry;

    @BeforeEach
    void openStore() {
        tracker = Tracker.open("sqlite:" + dir.resolve("runlog.db"));
        registry = ModelRegistry.of(tracker);
    }

    @AfterEach
    void closeStore() {
        tracker.close();
    }

    @Test
    void firstRunTrainsAnAccurateModelAndServesItFromProduction() {
        Printed first = runPipeline();

        assertTrue(first.result.accuracy() >= 0.95, "training accuracy " + first.result.accuracy());
        assertEquals(1, first.result.version());
        assertEquals(Stage.PRODUCTION, first.result.stage());
        assertTrue(first.result.promoted());
        assertTrue(first.text.contains("iris-classifier version 1: Production"), first.text);
        assertPrintedStageIsTheRegistrys(first);
        assertEquals(1, registry.latest(IrisPipeline.MODEL_NAME, Stage.PRODUCTION).orElseThrow().version());

        // The run holds what the summary reports: the final accuracy is the latest "accuracy" point.
        Run run = tracker.getRun(first.result.runId());
        assertEquals(first.result.accuracy(), run.data().metrics().get("accuracy"));
        assertEquals(IrisPipeline.HYPERPARAMETERS.maxIter(),
                tracker.metricHistory(run.info().id(), "loss").size());
        assertEquals("iris", run.inputs().get(0).dataset().name());

        // The served model is version 1, and it tells the species apart.
        assertEquals(Optional.of(1), first.result.servedVersion());
        LabeledData iris = LabeledData.readCsv(ExampleData.iris(), "species");
        first.result.predictions().forEach(p -> assertEquals(iris.className(p.row()), p.actual()));
        assertEquals(3, first.result.predictions().stream()
                .filter(p -> p.row() % 50 == 0 && p.predicted().equals(p.actual())).count(),
                "the first flower of each species is predicted right: " + first.result.predictions());
    }

    @Test
    void secondRunTiesVersionOneSoVersionTwoStaysInStaging() {
        Printed first = runPipeline();
        Printed second = runPipeline();

        // Training is deterministic: the same data and settings give the same accuracy, and a tie
        // does not beat the version in Production.
        assertEquals(first.result.accuracy(), second.result.accuracy());
        assertEquals(2, second.result.version());
        assertFalse(second.result.promoted(), second.text);
        assertEquals(1, second.result.rejections().size(), second.text);
        assertTrue(second.result.rejections().get(0).gate().contains("beats the current production version"),
                second.result.rejections().toString());
        assertTrue(second.text.contains("iris-classifier version 2: Staging, not promoted to Production, which keeps"
                + " version 1"), second.text);

        assertPrintedStageIsTheRegistrys(second);
        assertEquals(Stage.STAGING, registry.getVersion(IrisPipeline.MODEL_NAME, 2).stage());
        assertEquals(Stage.PRODUCTION, registry.getVersion(IrisPipeline.MODEL_NAME, 1).stage());
        assertEquals(Optional.of(1), second.result.servedVersion());
        assertTrue(second.text.contains("predictions of version 1 (Production)"), second.text);
    }

    @Test
    void aBetterModelReplacesAWeakerProductionVersion() {
        // Put a deliberately undertrained model in Production by hand, bypassing the gates.
        IrisPipeline.TrainedModel weak = IrisPipeline.train(tracker, new Hyperparameters(0.01, 0.0, 20));
        int weakVersion = registry.register(IrisPipeline.MODEL_NAME, weak.logged().uri()).version();
        registry.transition(IrisPipeline.MODEL_NAME, weakVersion, Stage.PRODUCTION);

        Printed run = runPipeline();

        assertTrue(run.result.accuracy() > weak.accuracy(), run.result.accuracy() + " vs " + weak.accuracy());
        assertTrue(run.result.promoted(), run.text);
        assertPrintedStageIsTheRegistrys(run);
        assertEquals(Stage.ARCHIVED, registry.getVersion(IrisPipeline.MODEL_NAME, weakVersion).stage());
        assertEquals(Optional.of(run.result.version()), run.result.servedVersion());
        assertTrue(run.text.contains("version " + weakVersion + " archived"), run.text);
    }

    @Test
    void mainWritesToTheStoreGivenAsArgumentAndSaysWhere() {
        Path other = dir.resolve("other.db");
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            IrisPipeline.main(new String[] {"sqlite:" + other});
        } finally {
            System.setOut(original);
        }
        String out = buffer.toString(StandardCharsets.UTF_8);

        assertTrue(Files.isRegularFile(other));
        assertTrue(out.contains("stored in sqlite:" + other), out);
        assertTrue(out.contains(IrisPipeline.uiCommand("sqlite:" + other)), out);
        try (Tracker reopened = Tracker.open("sqlite:" + other)) {
            assertEquals(1, ModelRegistry.of(reopened).latest(IrisPipeline.MODEL_NAME, Stage.PRODUCTION)
                    .orElseThrow().version());
        }
    }

    @Test
    void mainOnAMemoryStoreOffersNoStoreThatIsAlreadyGone() {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            IrisPipeline.main(new String[] {"memory:"});
        } finally {
            System.setOut(original);
        }
        String out = buffer.toString(StandardCharsets.UTF_8);

        assertTrue(out.contains("kept in memory only"), out);
        assertFalse(out.contains("web UI"), out);
        assertFalse(out.contains("run again"), out);
    }

    /** The stage the summary printed for the new version is the one the registry holds. */
    private void assertPrintedStageIsTheRegistrys(Printed printed) {
        Matcher line = STAGE_LINE.matcher(printed.text);
        assertTrue(line.find(), printed.text);
        int version = Integer.parseInt(line.group(1));
        assertEquals(printed.result.version(), version);
        assertEquals(registry.getVersion(IrisPipeline.MODEL_NAME, version).stage(), Stage.parse(line.group(2)));
    }

    private record Printed(IrisPipeline.Result result, String text) {
    }

    private Printed runPipeline() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        IrisPipeline.Result result = IrisPipeline.run(tracker, new PrintStream(buffer, true, StandardCharsets.UTF_8));
        return new Printed(result, buffer.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theUiCommandQuotesAStoreUriAShellWouldSplit() {
        assertTrue(IrisPipeline.uiCommand("sqlite:runlog.db").endsWith("ui --store sqlite:runlog.db"));
        assertTrue(IrisPipeline.uiCommand("sqlite:/tmp/my runs/it's.db").endsWith("ui --store 'sqlite:/tmp/my runs/it'\\''s.db'"));
    }
}
