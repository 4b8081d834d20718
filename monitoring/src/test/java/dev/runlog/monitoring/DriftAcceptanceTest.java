package dev.runlog.monitoring;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.Dataset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The statistical acceptance of issue 17 on breast_cancer.csv (569 rows, 30 numeric features and
 * the diagnosis): each seed splits the rows at random into a reference half, sketched, and a
 * current half of 284 or 285 rows, compared with the default options (so by Kolmogorov–Smirnov and
 * chi-squared tests at p &lt; 0.05). Seeds are fixed, so every run sees the same 100 splits.
 */
class DriftAcceptanceTest {
    private static final int SEEDS = 100;
    /** The features shifted by half a standard deviation: the first five. */
    private static final int SHIFTED = 5;

    @TempDir
    static Path tempDir;
    private static BreastCancer data;
    private static Dataset dataset;

    @BeforeAll
    static void load() throws IOException {
        data = BreastCancer.load(tempDir);
        dataset = Dataset.fromCsv(tempDir.resolve("breast_cancer.csv"));
    }

    @Test
    void unshiftedRandomSplitsDoNotFlagDatasetDriftInAtLeast95Of100Seeds() {
        int flagged = 0;
        int featuresFlagged = 0;
        for (int seed = 0; seed < SEEDS; seed++) {
            DatasetDrift drift = compare(seed, 0, DriftOptions.defaults());
            flagged += drift.drifted() ? 1 : 0;
            featuresFlagged += (int) drift.driftedCount();
        }
        System.out.printf("unshifted: dataset drift in %d of %d seeds; %d feature verdicts of %d drifted%n",
                flagged, SEEDS, featuresFlagged, SEEDS * 31);

        assertTrue(flagged <= SEEDS - 95, "dataset drift flagged in " + flagged + " of " + SEEDS + " unshifted splits");
        // Each feature's test alone keeps close to its 5% false-positive rate.
        assertTrue(featuresFlagged <= 0.07 * SEEDS * 31, featuresFlagged + " of " + SEEDS * 31 + " feature verdicts");
    }

    @Test
    /**
     * Five shifted features of 31 are 16% of them, under the default dataset-drift share of one
     * half, so the dataset verdict at the defaults cannot flag them (it does in 1 of 100 seeds); and
     * a share as low as 0.15 flags about one unshifted split in ten, since breast_cancer's size features
     * (radius, perimeter, area, mean and worst) drift together by chance. What the defaults do
     * flag, in at least 95 of 100 seeds, is every one of the five shifted features.
     */
    void aShiftOfHalfAStandardDeviationInFiveFeaturesIsFlaggedInAtLeast95Of100Seeds() {
        int flagged = 0;
        int allFiveFlagged = 0;
        int othersFlagged = 0;
        for (int seed = 0; seed < SEEDS; seed++) {
            DatasetDrift drift = compare(seed, 0.5, DriftOptions.defaults());
            flagged += drift.drifted() ? 1 : 0;
            allFiveFlagged += drift.features().subList(0, SHIFTED).stream().allMatch(FeatureDrift::drifted) ? 1 : 0;
            othersFlagged += (int) drift.features().subList(SHIFTED, drift.features().size()).stream()
                    .filter(FeatureDrift::drifted).count();
        }
        System.out.printf("shifted: dataset drift in %d, all five shifted features in %d of %d seeds; %d verdicts on unshifted features drifted%n",
                flagged, allFiveFlagged, SEEDS, othersFlagged);
        assertTrue(allFiveFlagged >= 95, "all five shifted features flagged in " + allFiveFlagged + " of " + SEEDS);
        assertTrue(othersFlagged <= 0.07 * SEEDS * 26, "the shift leaves the other features alone: " + othersFlagged);
    }

    /** Splits the rows by seed, shifts the first features of the current half by {@code shift} standard deviations. */
    private static DatasetDrift compare(int seed, double shift, DriftOptions options) {
        List<List<String>> rows = new ArrayList<>(data.rows);
        Collections.shuffle(rows, new Random(seed));
        List<List<String>> referenceRows = rows.subList(0, rows.size() / 2);
        List<List<String>> currentRows = rows.subList(rows.size() / 2, rows.size());
        KllRandom.seed(seed);
        Reference.Builder builder = Reference.builder(data.schema);
        referenceRows.forEach(builder::addRow);
        Map<String, double[]> numeric = new LinkedHashMap<>();
        for (int i = 0; i < 30; i++) {
            String feature = data.header.get(i);
            double offset = i < SHIFTED ? shift * dataset.profile().columns().get(feature).std() : 0;
            numeric.put(feature, java.util.Arrays.stream(BreastCancer.column(currentRows, i)).map(v -> v + offset).toArray());
        }
        Map<String, List<String>> categorical = new HashMap<>();
        categorical.put("diagnosis", currentRows.stream().map(row -> row.get(30)).toList());
        return builder.build().compare(numeric, categorical, options);
    }
}
