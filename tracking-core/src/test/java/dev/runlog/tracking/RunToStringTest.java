package dev.runlog.tracking;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A printed run or dataset is a short line, however big the dataset profile behind it. */
class RunToStringTest {
    @Test
    void runWithAWideDatasetPrintsOneShortLine(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("wide.csv");
        String header = IntStream.range(0, 200).mapToObj(i -> "feature_" + i).collect(Collectors.joining(","));
        String row = IntStream.range(0, 200).mapToObj(Integer::toString).collect(Collectors.joining(","));
        Files.writeString(csv, header + "\n" + row + "\n" + row + "\n");
        Dataset wide = Dataset.fromCsv(csv);
        try (Tracker tracker = Tracker.inMemory()) {
            Run run = tracker.run("e", r -> r.logParam("lr", 0.1).logMetric("loss", 0.5).logInput(wide, "training"));

            String printed = run.toString();
            assertTrue(printed.length() < 400, printed.length() + " chars: " + printed);
            assertTrue(printed.contains(run.info().id()) && printed.contains("lr=0.1") && printed.contains("loss=0.5")
                    && printed.contains("wide (training)") && !printed.contains("\n"), printed);
            String dataset = wide.toString();
            assertTrue(dataset.length() < 200 && dataset.contains(wide.digest()) && dataset.contains("columns=200"),
                    dataset);
        }
    }
}
