package dev.runlog.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.ClassNotAllowedException;
import dev.runlog.tracking.LoggedModel;
import dev.runlog.tracking.ModelFlavor;
import dev.runlog.tracking.Tracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smile.classification.RandomForest;
import smile.data.DataFrame;
import smile.data.formula.Formula;
import smile.data.vector.IntVector;

/**
 * The README's Smile snippet with a real Smile random forest (Smile is a test dependency only:
 * it is GPL): logged with the java-serialized flavor and loaded back allowing exactly the Smile
 * packages a random forest needs, it predicts as before; allowing none, the load is refused with
 * a message that names those packages.
 */
class SmileModelTest {
    @TempDir
    Path dir;

    @Test
    void aSmileRandomForestLoadsBackAllowingSmileAndPredictsTheSame() throws Exception {
        List<String> lines = Files.readAllLines(ExampleData.iris());
        List<String> species = List.of("setosa", "versicolor", "virginica");
        double[][] x = new double[lines.size() - 1][];
        int[] y = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            String[] cells = lines.get(i + 1).split(",");
            x[i] = new double[] {Double.parseDouble(cells[0]), Double.parseDouble(cells[1]),
                    Double.parseDouble(cells[2]), Double.parseDouble(cells[3])};
            y[i] = species.indexOf(cells[4]);
        }
        DataFrame data = DataFrame.of(x, "sepal_length", "sepal_width", "petal_length", "petal_width")
                .merge(IntVector.of("species", y));
        RandomForest forest = RandomForest.fit(Formula.lhs("species"), data);

        try (Tracker tracker = Tracker.open("sqlite:" + dir.resolve("runs.db"))) {
            LoggedModel logged;
            try (ActiveRun run = tracker.startRun("smile")) {
                logged = run.logModel("forest", forest, ModelFlavor.javaSerialized());
            }
            // Exactly the packages a random forest needs, as the README shows them.
            RandomForest loaded = tracker.loadModel(logged.uri(), RandomForest.class, ModelFlavor.javaSerialized(
                    "smile.base.cart", "smile.classification", "smile.data.formula", "smile.data.type", "smile.util",
                    "smile.validation"));
            int[] before = new int[x.length];
            int[] after = new int[x.length];
            for (int i = 0; i < x.length; i++) {
                before[i] = forest.predict(data.get(i));
                after[i] = loaded.predict(data.get(i));
            }
            assertArrayEquals(before, after);

            ClassNotAllowedException refused = assertThrows(ClassNotAllowedException.class,
                    () -> tracker.loadModel(logged.uri(), RandomForest.class, ModelFlavor.javaSerialized()));
            // The refusal names the packages to allow, which is how the README's list was found.
            assertTrue(refused.getMessage().contains("javaSerialized(\"smile.base.cart\", \"smile.classification\","
                    + " \"smile.data.formula\", \"smile.data.type\", \"smile.util\", \"smile.validation\")"), refused.getMessage());
        }
    }
}
