package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.KitAssertions.assertMessageContains;
import static dev.runlog.tracking.tck.KitAssertions.ids;
import static dev.runlog.tracking.tck.KitAssertions.values;
import static dev.runlog.tracking.tck.KitData.dataset;
import static dev.runlog.tracking.tck.KitData.sha256;
import static dev.runlog.tracking.tck.KitData.singleRowDataset;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Dataset;
import dev.runlog.tracking.DatasetInput;
import dev.runlog.tracking.RunNotActiveException;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Rule 14: datasets are described by digest, schema and profile, and runs record which they used. */
public interface DatasetsContract {

    /** Six rows: a long column, a double column with one empty cell, a string column (one quoted cell), a boolean one. */
    String CSV = "id,x,label,flag\n"
            + "1,0.3,a,true\n"
            + "2,1.7,b,false\n"
            + "3,,\"c, quoted\",true\n"
            + "4,2.2,d,false\n"
            + "5,-1.0,e,TRUE\n"
            + "6,4.0,f,false\n";
    double[] ID = {1, 2, 3, 4, 5, 6};
    double[] X = {0.3, 1.7, 2.2, -1.0, 4.0};

    private Path csv(StoreHarness kit, String name, String content) {
        return kit.newFile(name, content.getBytes(StandardCharsets.UTF_8));
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static double sampleStd(double[] values) {
        double mean = mean(values);
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        return Math.sqrt(squares / (values.length - 1));
    }

    private void assertProfile(Dataset.ColumnProfile profile, double[] values, long missing, String column) {
        assertAll(column,
                () -> assertEquals(values.length, profile.count(), "count"),
                () -> assertEquals(missing, profile.missing(), "missing"),
                () -> assertEquals(Arrays.stream(values).min().orElseThrow(), profile.min(), "min"),
                () -> assertEquals(Arrays.stream(values).max().orElseThrow(), profile.max(), "max"),
                () -> assertEquals(mean(values), profile.mean(), 1e-12, "mean"),
                () -> assertEquals(sampleStd(values), profile.std(), 1e-12, "sample std (n - 1)"));
    }

    /** The histogram's shape, and each value in the bin the documented rule puts it in. */
    private void assertHistogram(Dataset.ColumnProfile profile, double[] values, boolean checkBins, String column) {
        List<Double> edges = profile.histogram().edges();
        List<Long> counts = profile.histogram().counts();
        assertFalse(counts.isEmpty(), column + ": a column with values has a histogram");
        assertEquals(counts.size() + 1, edges.size(), column + ": one more edge than counts");
        assertEquals(profile.count(), counts.stream().mapToLong(Long::longValue).sum(), column + ": counts sum to count");
        assertEquals(profile.min(), (double) edges.get(0), column + ": the first edge is the min");
        assertEquals(profile.max(), (double) edges.get(edges.size() - 1), column + ": the last edge is the max");
        double width = (profile.max() - profile.min()) / counts.size();
        for (int i = 0; i < edges.size(); i++) {
            assertEquals(profile.min() + i * width, (double) edges.get(i), 1e-12, column + ": edges are equally wide, edge " + i);
        }
        if (checkBins) {
            long[] expected = new long[counts.size()];
            for (double v : values) {
                int bin = -1;
                for (int i = 0; i < counts.size() && bin < 0; i++) {
                    boolean last = i == counts.size() - 1;
                    if (v >= edges.get(i) && (v < edges.get(i + 1) || (last && v <= edges.get(i + 1)))) {
                        bin = i;
                    }
                }
                assertTrue(bin >= 0, column + ": " + v + " falls in no bin of " + edges);
                expected[bin]++;
            }
            assertEquals(Arrays.stream(expected).boxed().toList(), counts, column + ": counts per bin");
        }
    }

    @Test
    @DisplayName("fromCsv: name from the file name, digest = SHA-256 of the file, a file: source, inferred column types")
    default void fromCsvDescribesTheFile(StoreHarness kit) throws IOException {
        Path file = csv(kit, "iris-train.csv", CSV);
        Dataset dataset = Dataset.fromCsv(file);
        assertEquals("iris-train", dataset.name());
        assertEquals(sha256(Files.readAllBytes(file)), dataset.digest());
        URI source = URI.create(dataset.source());
        assertEquals("file", source.getScheme());
        assertEquals(file.toAbsolutePath().normalize(), Path.of(source));
        assertEquals(List.of(new Dataset.Column("id", "long"), new Dataset.Column("x", "double"),
                new Dataset.Column("label", "string"), new Dataset.Column("flag", "boolean")), dataset.schema());
        assertEquals("renamed", Dataset.fromCsv(file, "renamed").name());
        assertEquals(dataset, Dataset.fromCsv(file), "reading the same file twice gives an equal dataset");
    }

    @Test
    @DisplayName("fromCsv profiles each numeric column: count, missing, min, max, mean, sample std; not the others")
    default void fromCsvProfile(StoreHarness kit) {
        Dataset dataset = Dataset.fromCsv(csv(kit, "iris.csv", CSV));
        assertEquals(6, dataset.profile().rowCount());
        assertEquals(Set.of("id", "x"), dataset.profile().columns().keySet(), "only numeric columns are profiled");
        assertProfile(dataset.profile().columns().get("id"), ID, 0, "id");
        assertProfile(dataset.profile().columns().get("x"), X, 1, "x");
    }

    @Test
    @DisplayName("fromCsv histograms: one more edge than counts, from min to max, counts summing to the column's count")
    default void fromCsvHistograms(StoreHarness kit) {
        Dataset dataset = Dataset.fromCsv(csv(kit, "iris.csv", CSV));
        assertHistogram(dataset.profile().columns().get("id"), ID, false, "id");
        assertHistogram(dataset.profile().columns().get("x"), X, true, "x");
    }

    @Test
    @DisplayName("logInput: the run's inputs show each dataset and context in logging order, equal to what was logged")
    default void logInputOrder(Tracker tracker) {
        Dataset train = dataset("iris", "v1");
        Dataset test = dataset("iris-test", "v1");
        ActiveRun run = tracker.startRun("iris");
        assertEquals(List.of(), tracker.getRun(run.id()).inputs());
        run.logInput(test, "test");
        run.logInput(train, "training");
        assertEquals(List.of(new DatasetInput(test, "test"), new DatasetInput(train, "training")), tracker.getRun(run.id()).inputs());
        run.close();
        assertEquals(List.of(new DatasetInput(test, "test"), new DatasetInput(train, "training")), tracker.getRun(run.id()).inputs(),
                "inputs stay after the run ends");
    }

    @Test
    @DisplayName("a dataset read from CSV reads back equal, schema and profile included")
    default void csvDatasetRoundTrip(Tracker tracker, StoreHarness kit) {
        Dataset dataset = Dataset.fromCsv(csv(kit, "iris.csv", CSV));
        ActiveRun run = tracker.startRun("iris");
        run.logInput(dataset, "training");
        Dataset stored = tracker.getRun(run.id()).inputs().get(0).dataset();
        assertEquals(dataset.schema(), stored.schema());
        assertEquals(dataset.profile(), stored.profile());
        assertEquals(dataset, stored);
    }

    @Test
    @DisplayName("the same dataset and context logged twice is one input; the same dataset in two contexts is two")
    default void inputIdentity(Tracker tracker) {
        Dataset train = dataset("iris", "v1");
        ActiveRun run = tracker.startRun("iris");
        run.logInput(train, "training");
        run.logInput(train, "training");
        assertEquals(List.of(new DatasetInput(train, "training")), tracker.getRun(run.id()).inputs());
        run.logInput(train, "validation");
        run.logInput(train, "training");
        assertEquals(List.of(new DatasetInput(train, "training"), new DatasetInput(train, "validation")),
                tracker.getRun(run.id()).inputs());
    }

    @Test
    @DisplayName("runsUsing(digest) returns the runs that logged the dataset, oldest first, deleted ones included")
    default void runsUsing(Tracker tracker, MutableClock clock) {
        Dataset train = dataset("iris", "v1");
        Dataset other = dataset("iris", "v2");
        ActiveRun older = tracker.startRun("iris");
        clock.advance(Duration.ofSeconds(1));
        ActiveRun newer = tracker.startRun("iris");
        clock.advance(Duration.ofSeconds(1));
        ActiveRun unrelated = tracker.startRun("iris");
        clock.advance(Duration.ofSeconds(1));
        ActiveRun elsewhere = tracker.startRun("mnist");
        // Logged in another order than the runs started: runsUsing orders by start.
        elsewhere.logInput(train, "training");
        newer.logInput(train, "training");
        older.logInput(train, "validation");
        older.logInput(train, "training");
        unrelated.logInput(other, "training");

        assertEquals(List.of(older.id(), newer.id(), elsewhere.id()), ids(tracker.runsUsing(train.digest())));
        assertEquals(List.of(unrelated.id()), ids(tracker.runsUsing(other.digest())));
        assertEquals(List.of(), tracker.runsUsing(sha256("never logged".getBytes(StandardCharsets.UTF_8))));
        assertEquals(List.of(new DatasetInput(train, "validation"), new DatasetInput(train, "training")),
                tracker.runsUsing(train.digest()).get(0).inputs(), "the runs come with their inputs");

        tracker.deleteRun(newer.id());
        assertEquals(List.of(older.id(), newer.id(), elsewhere.id()), ids(tracker.runsUsing(train.digest())));
    }

    @Test
    @DisplayName("the same digest and name logged with another profile is a record of its own: no run's inputs change")
    default void anotherProfileOfTheSameDataChangesNoOtherRun(Tracker tracker, MutableClock clock) {
        // Logged first by an imported archive or a client, with a profile of its own making; then the
        // same file profiled here, and again with a plugin's extension (a drift reference).
        Dataset genuine = dataset("iris", "v1");
        Dataset forged = new Dataset(genuine.name(), genuine.digest(), genuine.source(), genuine.schema(),
                new Dataset.Profile(777, genuine.profile().columns()));
        Dataset extended = new Dataset(genuine.name(), genuine.digest(), genuine.source(), genuine.schema(),
                new Dataset.Profile(genuine.profile().rowCount(), genuine.profile().columns(), Map.of("x.reference", "abc")));
        ActiveRun first = tracker.startRun("iris");
        first.logInput(forged, "training");
        clock.advance(Duration.ofSeconds(1));
        ActiveRun second = tracker.startRun("iris");
        second.logInput(genuine, "training");
        clock.advance(Duration.ofSeconds(1));
        ActiveRun third = tracker.startRun("iris");
        third.logInput(extended, "training");
        ActiveRun fourth = tracker.startRun("iris");
        fourth.logInput(genuine, "training");

        assertEquals(List.of(new DatasetInput(forged, "training")), tracker.getRun(first.id()).inputs());
        assertEquals(List.of(new DatasetInput(genuine, "training")), tracker.getRun(second.id()).inputs());
        assertEquals(List.of(new DatasetInput(extended, "training")), tracker.getRun(third.id()).inputs());
        assertEquals(List.of(new DatasetInput(genuine, "training")), tracker.getRun(fourth.id()).inputs());
        assertEquals(List.of(first.id(), second.id(), third.id(), fourth.id()), ids(tracker.runsUsing(genuine.digest())));
    }

    @Test
    @DisplayName("a profile with NaN statistics (one value, no value) and -0.0 round-trips exactly")
    default void nanProfileRoundTrip(Tracker tracker) {
        Dataset single = singleRowDataset();
        Dataset negativeZero = dataset("iris", "v1");
        ActiveRun run = tracker.startRun("iris");
        run.logInput(single, "training");
        run.logInput(negativeZero, "training");
        List<DatasetInput> inputs = tracker.getRun(run.id()).inputs();
        assertEquals(List.of(new DatasetInput(single, "training"), new DatasetInput(negativeZero, "training")), inputs);
        Dataset.ColumnProfile v = inputs.get(0).dataset().profile().columns().get("v");
        assertTrue(Double.isNaN(v.std()), () -> "NaN std read back as " + v.std());
        Dataset.ColumnProfile w = inputs.get(0).dataset().profile().columns().get("w");
        assertTrue(Double.isNaN(w.min()) && Double.isNaN(w.max()) && Double.isNaN(w.mean()), () -> "read back as " + w);
        assertEquals(new Dataset.Histogram(List.of(), List.of()), w.histogram());
        double min = inputs.get(1).dataset().profile().columns().get("income").min();
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(min), () -> "-0.0 read back as " + min);
    }

    @Test
    @DisplayName("fromCsv of a column with one value gives a NaN sample std, and the dataset round-trips exactly")
    default void fromCsvSingleValue(Tracker tracker, StoreHarness kit) {
        Dataset dataset = Dataset.fromCsv(csv(kit, "one.csv", "a,b\n2.5,x\n"));
        Dataset.ColumnProfile a = dataset.profile().columns().get("a");
        assertEquals(1, a.count());
        assertEquals(2.5, a.mean());
        assertTrue(Double.isNaN(a.std()), () -> "one value has a NaN sample std, not " + a.std());
        ActiveRun run = tracker.startRun("iris");
        run.logInput(dataset, "validation");
        assertEquals(List.of(new DatasetInput(dataset, "validation")), tracker.getRun(run.id()).inputs());
    }

    @Test
    @DisplayName("logInput to an ended or deleted run fails with RunNotActiveException and records nothing")
    default void logInputToInactiveRun(Tracker tracker) {
        Dataset train = dataset("iris", "v1");
        ActiveRun ended = tracker.startRun("iris");
        ended.end(RunStatus.FINISHED);
        RunNotActiveException e = assertThrows(RunNotActiveException.class, () -> ended.logInput(train, "training"));
        assertMessageContains(e, ended.id());
        assertEquals(List.of(), tracker.getRun(ended.id()).inputs());

        ActiveRun deleted = tracker.startRun("iris");
        tracker.deleteRun(deleted.id());
        assertThrows(RunNotActiveException.class, () -> deleted.logInput(train, "training"));
        tracker.restoreRun(deleted.id());
        assertEquals(List.of(), tracker.getRun(deleted.id()).inputs());
        assertEquals(List.of(), tracker.runsUsing(train.digest()));
    }
}
