package dev.runlog.examples;

import static dev.runlog.junit.RunlogAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runlog.examples.IrisPipeline.TrainedModel;
import dev.runlog.examples.ml.Hyperparameters;
import dev.runlog.examples.ml.LabeledData;
import dev.runlog.examples.ml.SoftmaxClassifier;
import dev.runlog.junit.RunlogExtension;
import dev.runlog.tracking.LoggedModel;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How to test your own training code with Runlog: {@link RunlogExtension} hands each test a tracker
 * on a fresh in-memory store (closed after the test, nothing on disk), the code under test logs
 * into it, and {@code RunlogAssertions} checks what it logged, printing what the run did have when
 * a check fails.
 *
 * <p>The training code under test here is {@link IrisPipeline#train}, the first step of the Iris
 * example: it takes the tracker as a parameter, which is what makes it testable this way.
 */
@ExtendWith(RunlogExtension.class)
class TrainingCodeTest {
    // Small settings keep the test fast; the checks hold for any sensible ones.
    private static final Hyperparameters SETTINGS = new Hyperparameters(0.5, 0.001, 50);

    private TrainedModel trained;
    private Run run;

    @BeforeEach
    void train(Tracker tracker) {             // the same tracker the test method receives
        trained = IrisPipeline.train(tracker, SETTINGS);
        run = tracker.getRun(trained.runId());
    }

    @Test
    void logsItsHyperparametersAndFinishes() {
        assertThat(run)
                .hasParam("learning_rate", 0.5)          // compared as logParam stored it: "0.5"
                .hasParam("l2", 0.001)
                .hasParam("max_iter", 50)
                .hasMetricAtLeast("accuracy", 0.9)
                .hasStatus(RunStatus.FINISHED);
    }

    @Test
    void lossGoesDownEveryEpoch(Tracker tracker) {
        // Full-batch gradient descent with a small enough step never increases the loss; a sign
        // error in the gradient or a too-large learning rate fails here.
        assertThat(run)
                .hasMetricHistorySize(tracker, "loss", SETTINGS.maxIter())
                .hasMetricDecreasing(tracker, "loss");
        // One point per epoch, at step = epoch: a missing or doubled point shows here.
        List<Metric> loss = tracker.metricHistory(trained.runId(), "loss");
        for (int epoch = 0; epoch < loss.size(); epoch++) {
            assertEquals(epoch, loss.get(epoch).step());
        }
    }

    @Test
    void logsTheDataItTrainedOn() {
        assertThat(run).hasInput("iris", "training");
        assertEquals(150, run.inputs().get(0).dataset().profile().rowCount());
    }

    @Test
    void logsTheModelAndItLoadsBackUnchanged(Tracker tracker) {
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
