package dev.runlog.monitoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.Dataset;
import dev.runlog.tracking.InvalidInputException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;
import org.apache.commons.statistics.inference.PValueMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sketched reference: built from rows, compared against windows, stored as bytes. */
class ReferenceTest {
    @TempDir
    Path tempDir;

    @Test
    void sketchKolmogorovSmirnovIsWithinTheDocumentedRankErrorOfTheExactOne() throws IOException {
        BreastCancer data = BreastCancer.load(tempDir);
        KllRandom.seed(17);
        Reference.Builder builder = Reference.builder(data.schema);
        data.rows.forEach(builder::addRow);
        Reference reference = builder.build();
        double rankError = reference.rankError();
        assertTrue(rankError > 0.005 && rankError < 0.02, "569 rows put k=200 sketches in estimation mode: " + rankError);
        Random random = new Random(17);
        for (int seed = 0; seed < 5; seed++) {
            List<List<String>> window = new ArrayList<>(data.rows);
            Collections.shuffle(window, random);
            window = window.subList(0, 200);
            for (int i = 0; i < 30; i++) {
                String feature = data.header.get(i);
                double[] exactReference = BreastCancer.column(data.rows, i);
                double[] current = BreastCancer.column(window, i);
                double exact = DriftTests.kolmogorovSmirnov(exactReference, current).statistic();
                double sketched = reference.kolmogorovSmirnov(feature, current).statistic();
                assertTrue(Math.abs(sketched - exact) <= rankError,
                        feature + ": sketch " + sketched + " vs exact " + exact + ", rank error " + rankError);
            }
        }
    }

    @Test
    void columnsOfAMapWithoutAnOrderAreTakenByNameSoRecordByPositionMeansTheSameInEveryJvm() {
        // Map.of's order changes from one JVM start to the next; record(double[]) is positional.
        double[] v = {1, 2, 3};
        Reference unordered = Reference.of(Map.of("pressure", v, "age", v, "glucose", v, "bmi", v),
                Map.of("sex", List.of("f"), "region", List.of("n")));
        assertEquals(List.of("age", "bmi", "glucose", "pressure"), List.copyOf(unordered.numericColumns()));
        assertEquals(List.of("region", "sex"), List.copyOf(unordered.categoricalColumns()));
        Map<String, double[]> ordered = new java.util.LinkedHashMap<>();
        ordered.put("pressure", v);
        ordered.put("age", v);
        assertEquals(List.of("pressure", "age"), List.copyOf(Reference.of(ordered, Map.of()).numericColumns()));
    }

    /**
     * A reference small enough for its sketch to hold every value gets the exact two-sample p-value,
     * as DriftTests (and scipy's ks_2samp, which Evidently uses) give it: the asymptotic one it got
     * before was off by up to a quarter near 0.05, and turned drift verdicts over.
     */
    @Test
    void aSmallReferenceIsHeldExactlyAndItsPValueIsTheExactTwoSampleOne() {
        for (int seed = 0; seed < 20; seed++) {
            Random random = new Random(seed);
            double[] x = random.doubles(50 + random.nextInt(150)).toArray();
            double[] y = random.doubles(2 + random.nextInt(300)).map(v -> Math.floor((v + 0.05) * 40) / 40).toArray();
            Reference reference = Reference.of(Map.of("x", x), Map.of());
            assertEquals(0.0, reference.rankError(), "at most 200 values fit in a k=200 sketch unsampled");
            DriftTests.Result sketched = reference.kolmogorovSmirnov("x", y);
            DriftTests.Result exact = DriftTests.kolmogorovSmirnov(x, y);
            assertEquals(exact.statistic(), sketched.statistic(), 1e-12, "seed " + seed);
            assertEquals(exact.pValue(), sketched.pValue(), 1e-12, "seed " + seed);
        }
        // The audit's case: n = m = 109, D = 20/109, exact p 0.0508 (no drift), asymptotic 0.043 (drift).
        double[] x = new double[109];
        double[] y = new double[109];
        for (int i = 0; i < 109; i++) {
            x[i] = i;
            y[i] = i + 19.5;
        }
        DriftTests.Result result = Reference.of(Map.of("x", x), Map.of()).kolmogorovSmirnov("x", y);
        assertEquals(20.0 / 109, result.statistic(), 1e-12);
        assertEquals(KolmogorovSmirnovTest.withDefaults().with(PValueMethod.EXACT).test(x, y).getPValue(), result.pValue(), 1e-12);
        assertTrue(result.pValue() > 0.05, "exact p " + result.pValue());
    }

    /** A window of one value gets scipy's exact p-value: the value is equally likely in each of the reference's n + 1 gaps. */
    @Test
    void aSingleCurrentValueHasTheExactPValueScipyGives() {
        Reference reference = Reference.of(Map.of("x", new double[] {1, 2, 3, 4}), Map.of());
        DriftTests.Result result = reference.kolmogorovSmirnov("x", new double[] {1.5});
        assertEquals(0.75, result.statistic(), 1e-12);
        assertEquals(0.8, result.pValue(), 1e-12);   // scipy.stats.ks_2samp([1, 2, 3, 4], [1.5]): 4 of the 5 gaps reach 0.75
        assertEquals(1.0, reference.kolmogorovSmirnov("x", new double[] {2.5}).pValue(), 1e-12);
    }

    @Test
    void bytesAndBase64ReadBackToTheSameReference() throws IOException {
        BreastCancer data = BreastCancer.load(tempDir);
        Reference.Builder builder = Reference.builder(data.schema);
        data.rows.forEach(builder::addRow);
        builder.addRow(Collections.nCopies(31, "NA"));
        Reference reference = builder.build();
        Reference read = Reference.fromBase64(reference.toBase64());

        assertArrayEquals(reference.toBytes(), read.toBytes());
        assertEquals(List.copyOf(reference.numericColumns()), List.copyOf(read.numericColumns()));
        assertEquals(Map.of("malignant", 212L, "benign", 357L), read.frequencies("diagnosis"));
        assertEquals(569, read.count("mean_radius"));
        double[] window = BreastCancer.column(data.rows.subList(0, 100), 0);
        assertEquals(reference.kolmogorovSmirnov("mean_radius", window), read.kolmogorovSmirnov("mean_radius", window));
        assertTrue(reference.toBytes().length < 30 * 3_000, "under 3 kB per sketched column: " + reference.toBytes().length);
    }

    @Test
    void fromCsvSketchesTheFileAsItsRowsAddedOneByOne() throws IOException {
        BreastCancer data = BreastCancer.load(tempDir);
        KllRandom.seed(9);
        Reference.Builder builder = Reference.builder(data.schema);
        data.rows.forEach(builder::addRow);
        byte[] byRows = builder.build().toBytes();
        KllRandom.seed(9);
        Reference fromCsv = Reference.fromCsv(tempDir.resolve("breast_cancer.csv"));
        assertArrayEquals(byRows, fromCsv.toBytes());
        assertEquals(30, fromCsv.numericColumns().size());
        assertEquals(List.of("diagnosis"), List.copyOf(fromCsv.categoricalColumns()));
        assertThrows(InvalidInputException.class, () -> Reference.fromCsv(tempDir.resolve("absent.csv")));
    }

    @Test
    void damagedBytesAndBadRowsAreRefusedByName() {
        byte[] bytes = Reference.of(Map.of("x", new double[] {1, 2, 3}), Map.of("c", List.of("a"))).toBytes();
        InvalidInputException truncated = assertThrows(InvalidInputException.class,
                () -> Reference.fromBytes(java.util.Arrays.copyOf(bytes, bytes.length - 3)));
        assertTrue(truncated.getMessage().contains("damaged drift reference"), truncated.getMessage());
        InvalidInputException foreign = assertThrows(InvalidInputException.class,
                () -> Reference.fromBytes(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
        assertTrue(foreign.getMessage().contains("not a Runlog drift reference"), foreign.getMessage());
        assertThrows(InvalidInputException.class, () -> Reference.fromBase64("not base64!"));

        Reference.Builder builder = Reference.builder(List.of(new Dataset.Column("x", "double")));
        InvalidInputException cells = assertThrows(InvalidInputException.class, () -> builder.addRow(List.of("1", "2")));
        assertTrue(cells.getMessage().contains("2 cells where the schema has 1"), cells.getMessage());
        InvalidInputException number = assertThrows(InvalidInputException.class, () -> builder.addRow(List.of("abc")));
        assertTrue(number.getMessage().contains("column 'x' is double but holds 'abc'"), number.getMessage());
    }

    @Test
    void compareChoosesTestsForSmallWindowsAndDistancesForLargeOnes() {
        Random random = new Random(5);
        double[] ref = random.doubles(5_000).toArray();
        List<String> colours = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            colours.add(i % 3 == 0 ? "red" : "blue");
        }
        Reference reference = Reference.of(Map.of("x", ref), Map.of("colour", colours));

        DatasetDrift small = reference.compare(Map.of("x", random.doubles(1_000).toArray()),
                Map.of("colour", colours.subList(0, 1_000)), DriftOptions.defaults());
        assertEquals(List.of(DriftMethod.KOLMOGOROV_SMIRNOV, DriftMethod.CHI_SQUARED),
                small.features().stream().map(FeatureDrift::method).toList());
        assertEquals(0, small.driftedCount());

        double[] shifted = random.doubles(1_001).map(v -> v + 0.5).toArray();
        DatasetDrift large = reference.compare(Map.of("x", shifted), Map.of("colour", colours.subList(0, 1_001)),
                DriftOptions.defaults());
        assertEquals(List.of(DriftMethod.WASSERSTEIN, DriftMethod.JENSEN_SHANNON),
                large.features().stream().map(FeatureDrift::method).toList());
        FeatureDrift x = large.features().get(0);
        // Shifted by 0.5 against a uniform reference of std 1/√12: about 0.5·√12 = 1.73 standard deviations.
        assertEquals(0.5 * Math.sqrt(12), x.statistic(), 0.1);
        assertTrue(x.drifted() && !large.features().get(1).drifted());
        assertTrue(large.drifted(), "one of two features is half of them: the default share");
        assertEquals(0.5, large.driftedShare());

        DatasetDrift psi = reference.compare(Map.of("x", shifted), Map.of(),
                DriftOptions.defaults().numericMethod(DriftMethod.POPULATION_STABILITY_INDEX));
        assertEquals(DriftMethod.POPULATION_STABILITY_INDEX, psi.features().get(0).method());
        assertTrue(psi.features().get(0).drifted(), "half the window beyond the reference's range: " + psi);

        InvalidInputException wrongKind = assertThrows(InvalidInputException.class,
                () -> reference.compare(Map.of("colour", new double[] {1}), Map.of(), DriftOptions.defaults()));
        assertTrue(wrongKind.getMessage().contains("'colour' is categorical"), wrongKind.getMessage());
    }

    @Test
    void theProfileOfACsvTypesCellsAsTheDatasetDoes() throws IOException {
        // Dataset.fromCsv counts " NA", "nan" and blanks as missing and reads " 2 " as 2; the profiler
        // refused them as not numbers, and the dataset was left without its drift reference.
        Path file = tempDir.resolve("cells.csv");
        java.nio.file.Files.writeString(file, "x,c\n1,a\n NA,b\nnan,\n 2 , NA\n  ,a\n-NaN,nan\n");
        Dataset dataset = Dataset.fromCsv(file);
        assertEquals("long", dataset.schema().get(0).type());
        Reference reference = Reference.fromProfile(dataset.profile()).orElseThrow();
        assertEquals(2, reference.count("x"));
        assertEquals(Map.of("a", 2L, "b", 1L), reference.frequencies("c"));
        assertThrows(InvalidInputException.class, () -> Reference.builder(dataset.schema()).addRow(List.of("1d", "a")));
    }

    @Test
    void optionsAreImmutableAndRefuseNonsense() {
        DriftOptions defaults = DriftOptions.defaults();
        DriftOptions changed = defaults.threshold(DriftMethod.WASSERSTEIN, 0.2).driftShare(0.3).smallWindow(500).bins(20)
                .numericMethod(DriftMethod.JENSEN_SHANNON).categoricalMethod(DriftMethod.JENSEN_SHANNON);
        assertEquals(0.2, changed.threshold(DriftMethod.WASSERSTEIN));
        assertEquals(0.3, changed.driftShare());
        assertEquals(500, changed.smallWindow());
        assertEquals(20, changed.bins());
        assertEquals(java.util.Optional.of(DriftMethod.JENSEN_SHANNON), changed.numericMethod());
        assertEquals(0.1, defaults.threshold(DriftMethod.WASSERSTEIN), "setters return copies");
        assertEquals(0.05, defaults.threshold(DriftMethod.KOLMOGOROV_SMIRNOV));
        assertEquals(0.5, defaults.driftShare());
        assertEquals(1_000, defaults.smallWindow());
        assertEquals(java.util.Optional.empty(), defaults.numericMethod());
        assertThrows(InvalidInputException.class, () -> defaults.threshold(DriftMethod.CHI_SQUARED, 1.5));
        assertThrows(InvalidInputException.class, () -> defaults.driftShare(0));
        assertThrows(InvalidInputException.class, () -> defaults.numericMethod(DriftMethod.CHI_SQUARED));
        assertThrows(InvalidInputException.class, () -> defaults.categoricalMethod(DriftMethod.WASSERSTEIN));
        assertThrows(InvalidInputException.class, () -> defaults.smallWindow(0));
    }
}
