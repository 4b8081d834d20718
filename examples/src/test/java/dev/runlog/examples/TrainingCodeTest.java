package dev.runlog.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.examples.IrisPipeline.TrainedModel;
import dev.runlog.examples.ml.Hyperparameters;
import dev.runlog.examples.ml.LabeledData;
import dev.runlog.examples.ml.SoftmaxClassifier;
import dev.runlog.tracking.LoggedModel;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.Tracker;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How to test your own training code with Runlog: give it a tracker on a fresh in-memory store,
 * run it, then assert on what it logged, reading it back through the same API you would use to
 * look at a real run. Nothing touches the disk and nothing needs cleaning up.
 *
 * <p>The training code under test here is {@link IrisPipeline#train}, the first step of the Iris
 * example: it takes the tracker as a parameter, which is what makes it testable this way.
 */
class TrainingCodeTest {
    // Small settings keep the test fast; the checks hold for any sensible ones.
    private static final Hyperparameters SETTINGS = new Hyperparameters(0.5, 0.001, 50);

    private Tracker tracker;
    private TrainedModel trained;

    @BeforeEach
    void train() {
        tracker = Tracker.inMemory();   // a private store per test: tests cannot see each other's runs
        trained = IrisPipeline.train(tracker, SETTINGS);
    }

    @AfterEach
    void close() {
        tracker.close();
    }

    @Test
    void logsItsHyperparametersAsParams() {
        Run run = tracker.getRun(trained.runId());

        // Params are stored as strings, as String.valueOf writes them.
        assertEquals("0.5", run.data().params().get("learning_rate"));
        assertEquals("0.001", run.data().params().get("l2"));
        assertEquals("50", run.data().params().get("max_iter"));
    }

    @Test
    void lossGoesDownEveryEpoch() {
        List<Metric> loss = tracker.metricHistory(trained.runId(), "loss");

        // One point per epoch, at step = epoch: a missing or doubled point shows here.
        assertEquals(SETTINGS.maxIter(), loss.size());
        for (int epoch = 0; epoch < loss.size(); epoch++) {
            assertEquals(epoch, loss.get(epoch).step());
        }
        // Full-batch gradient descent with a small enough step never increases the loss; a sign
        // error in the gradient or a too-large learning rate fails here.
        for (int epoch = 1; epoch < loss.size(); epoch++) {
            assertTrue(loss.get(epoch).value() < loss.get(epoch - 1).value(),
                    "loss rose at epoch " + epoch + ": " + loss.get(epoch - 1).value() + " -> " + loss.get(epoch).value());
        }
    }

    @Test
    void logsTheDataItTrainedOn() {
        Run run = tracker.getRun(trained.runId());

        assertEquals(1, run.inputs().size());
        assertEquals("training", run.inputs().get(0).context());
        assertEquals(150, run.inputs().get(0).dataset().profile().rowCount());
    }

    @Test
    void logsTheModelAndItLoadsBackUnchanged() {
        LoggedModel logged = tracker.getLoggedModel(trained.logged().uri());
        assertEquals("json", logged.flavor());

        // The model went through Jackson to JSON and back: every weight must survive exactly.
        SoftmaxClassifier loaded = tracker.loadModel(logged.uri(), SoftmaxClassifier.class);
        assertEquals(trained.model(), loaded);
        assertArrayEquals(trained.model().biases(), loaded.biases());

        // And it behaves the same: same prediction for every row.
        LabeledData iris = LabeledData.readCsv(ExampleData.iris(), "species");
        for (double[] row : iris.features()) {
            assertEquals(trained.model().predict(row), loaded.predict(row));
        }
        assertEquals(trained.accuracy(), loaded.accuracy(iris));
    }
}
