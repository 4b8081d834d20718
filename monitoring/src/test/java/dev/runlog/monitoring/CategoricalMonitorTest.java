package dev.runlog.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runlog.tracking.Dataset;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.Tracker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Categorical input features, end to end on a synthetic dataset with a {@code region} column: the
 * profile of {@link Dataset#fromCsv} holds its category frequencies, mixed rows are recorded by
 * position or by name, and windows judge the category mix by chi-squared (up to 1,000 rows) or
 * Jensen–Shannon (above), with category counts in the report.
 */
class CategoricalMonitorTest {
    private static final List<String> REGIONS = List.of("north", "south", "east", "west");
    private static final double[] TRAINING_MIX = {0.4, 0.3, 0.2, 0.1};
    private static final double[] SHIFTED_MIX = {0.1, 0.2, 0.3, 0.4};
    @TempDir
    static Path dir;
    private static Tracker tracker;
    private static Reference reference;

    @BeforeAll
    static void open() throws IOException {
        tracker = Tracker.builder().uri("memory:").shutdownHook(false).build();
        List<String> lines = new ArrayList<>(List.of("age,income,region,label"));
        for (Object[] row : rows(2_000, TRAINING_MIX, new Random(1))) {
            lines.add(String.format(Locale.ROOT, "%.3f,%.3f,%s,%s", row[0], row[1], row[2], row[3]));
        }
        Path csv = Files.write(dir.resolve("customers.csv"), lines);
        reference = Reference.fromProfile(Dataset.fromCsv(csv).profile()).orElseThrow();
    }

    @AfterAll
    static void close() {
        tracker.close();
    }

    /** Rows of age, income, region (drawn from {@code mix}) and label, the first three being the features. */
    private static List<Object[]> rows(int n, double[] mix, Random random) {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble();
            int region = 0;
            for (double cumulative = mix[0]; u >= cumulative && region < mix.length - 1; cumulative += mix[++region]) {
                // walks to the region u falls in
            }
            rows.add(new Object[] {40 + 10 * random.nextGaussian(), 50 + 15 * random.nextGaussian(),
                    REGIONS.get(region), random.nextBoolean() ? "yes" : "no"});
        }
        return rows;
    }

    private static ModelMonitor monitor(String name, int window) {
        return ModelMonitor.forReference(tracker, name, reference, MonitorOptions.defaults().window(window)
                .target("label").pollInterval(java.time.Duration.ofHours(1)));
    }

    private static FeatureDrift region(WindowReport report) {
        return report.drift().orElseThrow().features().stream().filter(f -> f.feature().equals("region")).findFirst()
                .orElseThrow(() -> new AssertionError("region not compared: " + report));
    }

    @Test
    void aBooleanColumnAsPandasWritesItMatchesJavaBooleansServed() throws IOException {
        // The CSV says True/False; a served row holds a Boolean, whose text is true/false. Every
        // window of the same distribution drifted, each category unseen by the other side.
        Random random = new Random(3);
        List<String> lines = new ArrayList<>(List.of("x,flag,churn"));
        for (int i = 0; i < 1_000; i++) {
            lines.add(String.format(Locale.ROOT, "%.4f,%s,%s", random.nextGaussian(), random.nextBoolean() ? "True" : "False",
                    random.nextInt(3) == 0 ? "True" : "False"));
        }
        Path csv = Files.write(dir.resolve("flags.csv"), lines);
        Reference flags = Reference.fromProfile(Dataset.fromCsv(csv).profile()).orElseThrow();
        assertEquals(java.util.Set.of("true", "false"), flags.frequencies("flag").keySet());
        try (ModelMonitor monitor = ModelMonitor.forReference(tracker, "flags", flags, MonitorOptions.defaults().window(1_000)
                .target("churn").pollInterval(java.time.Duration.ofHours(1)))) {
            for (int i = 0; i < 300; i++) {
                monitor.record(new Object[] {random.nextGaussian(), random.nextBoolean()}, random.nextInt(3) == 0);
            }
            WindowReport report = monitor.closeWindow().orElseThrow();
            FeatureDrift flag = report.drift().orElseThrow().features().stream().filter(f -> f.feature().equals("flag"))
                    .findFirst().orElseThrow();
            assertFalse(flag.drifted(), flag::toString);
            assertFalse(report.predictionDrift().orElseThrow(() -> new AssertionError(report.toString())).drifted(), report::toString);
        }
    }

    /** Pearson's chi-squared from its definition: expected counts are the reference's shares of the window's rows. */
    private static double exactChiSquared(Map<String, Long> reference, Map<String, Long> current) {
        double referenceTotal = reference.values().stream().mapToLong(Long::longValue).sum();
        double n = current.values().stream().mapToLong(Long::longValue).sum();
        double statistic = 0;
        for (Map.Entry<String, Long> e : reference.entrySet()) {
            double expected = n * e.getValue() / referenceTotal;
            double observed = current.getOrDefault(e.getKey(), 0L);
            statistic += (observed - expected) * (observed - expected) / expected;
        }
        return statistic;
    }

    private static Map<String, Long> counts(List<Object[]> rows) {
        Map<String, Long> counts = new HashMap<>();
        rows.forEach(row -> counts.merge((String) row[2], 1L, Long::sum));
        return counts;
    }

    @Test
    void theProfileHoldsTheCategoryFrequenciesAndTheCategoricalFeatureIsMonitored() {
        assertEquals(java.util.Set.copyOf(REGIONS), reference.frequencies("region").keySet());
        assertEquals(2_000, reference.frequencies("region").values().stream().mapToLong(Long::longValue).sum());
        try (ModelMonitor monitor = monitor("features", 10)) {
            assertEquals(List.of("age", "income", "region"), monitor.features(), "numeric columns, then categorical; not the target");
        }
    }

    /**
     * An unshifted window does not flag the region; one whose mix changes does, by chi-squared, with
     * the statistic of the definition on the same counts, logged as metrics and as category counts
     * in the report.
     */
    @Test
    void aChangedCategoryMixIsFlaggedByAnExactChiSquaredAndReportedAsCounts() throws IOException {
        List<Object[]> unshifted = rows(500, TRAINING_MIX, new Random(2));
        List<Object[]> shifted = rows(500, SHIFTED_MIX, new Random(3));
        try (ModelMonitor monitor = monitor("mix", 500)) {
            unshifted.forEach(row -> monitor.record(new Object[] {row[0], row[1], row[2]}, row[3]));
            shifted.forEach(row -> monitor.record(new Object[] {row[0], row[1], row[2]}, row[3]));
            List<WindowReport> reports = monitor.flush();

            FeatureDrift same = region(reports.get(0));
            assertEquals(DriftMethod.CHI_SQUARED, same.method());
            assertFalse(same.drifted(), same.toString());
            assertEquals(exactChiSquared(reference.frequencies("region"), counts(unshifted)), same.statistic(), 1e-9);
            FeatureDrift moved = region(reports.get(1));
            assertTrue(moved.drifted(), moved.toString());
            assertEquals(exactChiSquared(reference.frequencies("region"), counts(shifted)), moved.statistic(), 1e-9);

            assertEquals(moved.statistic(), tracker.metricHistory(monitor.runId(), "drift.region").get(1).value(), 1e-12);
            try (InputStream in = tracker.openArtifact(monitor.runId(), "drift/window-000001.json")) {
                JsonNode entry = new ObjectMapper().readTree(in).get("features").get(2);
                assertEquals("region", entry.get("feature").asText());
                int west = indexOf(entry.get("categories"), "west");
                assertEquals(reference.frequencies("region").get("west"), entry.get("reference_counts").get(west).asLong());
                assertEquals(counts(shifted).get("west"), entry.get("current_counts").get(west).asLong());
            }
        }
    }

    private static int indexOf(JsonNode array, String value) {
        for (int i = 0; i < array.size(); i++) {
            if (array.get(i).asText().equals(value)) {
                return i;
            }
        }
        throw new AssertionError(value + " not in " + array);
    }

    @Test
    void aWindowAboveAThousandRowsIsJudgedByJensenShannonOnTheSameCounts() {
        List<Object[]> shifted = rows(1_200, SHIFTED_MIX, new Random(4));
        try (ModelMonitor monitor = monitor("large", 1_200)) {
            shifted.forEach(row -> monitor.record(Map.of("age", row[0], "income", row[1], "region", row[2]), row[3]));
            FeatureDrift region = region(monitor.flush().get(0));
            assertEquals(DriftMethod.JENSEN_SHANNON, region.method());
            assertEquals(DriftTests.jensenShannon(reference.frequencies("region"), counts(shifted)), region.statistic(), 1e-12);
            assertTrue(region.drifted(), region.toString());
        }
    }

    /**
     * A category the reference never saw is its own bucket: chi-squared drifts (p = 0) and the report
     * lists it with a reference count of 0. A categorical feature with no value in a window is not
     * compared in that window (as a numeric one with none is not).
     */
    @Test
    void aNewCategoryDriftsAndAFeatureUnseenInTheWindowIsNotCompared() throws IOException {
        try (ModelMonitor monitor = monitor("unseen", 100)) {
            for (Object[] row : rows(100, TRAINING_MIX, new Random(5))) {
                monitor.record(new Object[] {row[0], row[1], "north".equals(row[2]) ? "central" : row[2]}, row[3]);
            }
            for (Object[] row : rows(100, TRAINING_MIX, new Random(6))) {
                Map<String, Object> named = new LinkedHashMap<>();
                named.put("age", row[0]);
                named.put("income", row[1]);
                named.put("region", null);
                monitor.record(named, row[3]);
            }
            List<WindowReport> reports = monitor.flush();
            FeatureDrift central = region(reports.get(0));
            assertTrue(central.drifted());
            assertEquals(0.0, central.pValue());
            try (InputStream in = tracker.openArtifact(monitor.runId(), "drift/window-000000.json")) {
                JsonNode entry = new ObjectMapper().readTree(in).get("features").get(2);
                int i = indexOf(entry.get("categories"), "central");
                assertEquals(0, entry.get("reference_counts").get(i).asLong());
                assertTrue(entry.get("current_counts").get(i).asLong() > 0);
                assertTrue(entry.get("statistic").isNull(), "an infinite statistic is null in JSON");
            }
            List<String> compared = reports.get(1).drift().orElseThrow().features().stream().map(FeatureDrift::feature).toList();
            assertEquals(List.of("age", "income"), compared);
        }
    }

    @Test
    void rowsOfTheWrongShapeOrKindAreRefusedNamingTheFeature() {
        try (ModelMonitor monitor = monitor("refused", 10)) {
            assertRefused("2 features where the monitor has 3", () -> monitor.record(new Object[] {1.0, 2.0}, "no"));
            assertRefused("'region' is categorical", () -> monitor.record(new Object[] {1.0, 2.0, 3}, "no"));
            assertRefused("'age' is numeric", () -> monitor.record(new Object[] {"41", 2.0, "north"}, "no"));
            assertRefused("'zip' is not a monitored feature", () -> monitor.record(Map.of("zip", "75001"), "no"));
            assertRefused("categorical features [region]", () -> monitor.record(new double[3], "no"));
            monitor.record(new Object[] {null, Double.NaN, Region.EAST}, "no");   // missing values; a category by its text
            assertEquals(1, monitor.closeWindow().orElseThrow().predictions());
        }
    }

    @Test
    void aCategoryNoStoreCanKeepIsRefusedWhenRecordedNotLostWithItsWindow() throws IOException {
        try (ModelMonitor monitor = monitor("unpaired", 10)) {
            assertRefused("feature 'region': category 'bad?' holds an unpaired UTF-16 surrogate",
                    () -> monitor.record(new Object[] {1.0, 2.0, "bad\uD800"}, "no"));
            assertRefused("feature 'region': category", () -> monitor.record(Map.of("region", "x\uDC00"), "no"));
            assertRefused("the output", () -> monitor.record(new Object[] {1.0, 2.0, "north"}, "n\uD800o"));
            // A category taken by its text after record returned: kept with U+FFFD, and the window with it.
            Object odd = new Object() {
                @Override
                public String toString() {
                    return "odd\uD800";
                }
            };
            monitor.record(new Object[] {1.0, 2.0, odd}, odd);
            WindowReport report = monitor.closeWindow().orElseThrow();
            monitor.flush();
            assertEquals(1, report.predictions());
            assertEquals(0, monitor.droppedWindows());
            try (InputStream in = tracker.openArtifact(monitor.runId(), "drift/window-000000.json")) {
                assertTrue(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).contains("odd\uFFFD"));
            }
        }
    }

    private enum Region {
        EAST;

        @Override
        public String toString() {
            return "east";
        }
    }

    private static void assertRefused(String expected, org.junit.jupiter.api.function.Executable call) {
        InvalidInputException e = assertThrows(InvalidInputException.class, call);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
