package dev.runlog.benchmarks;

import dev.runlog.tracking.Metric;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.RecordedRun;
import dev.runlog.tracking.spi.RunSpec;
import dev.runlog.tracking.spi.StoreProvider;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.function.IntSupplier;

/**
 * Search over 100,000 runs × 10 params × 10 metrics in one store. The runs are written through the
 * store SPI's {@code recordRuns}, a thousand a transaction, since what is measured is the search.
 */
final class SearchBenchmark {
    static final int RUNS = 100_000;
    static final String FILTER = "metrics.m0 > 0.5 and params.p1 = 'x'";
    private static final int RECORD_BATCH = 1_000;
    /** Streams run before the 7 timed ones: see {@link #streamAllMillis}. */
    static final int STREAM_WARM_UPS = 10;

    private SearchBenchmark() {
    }

    /** Fills the SQLite file {@code db} with {@link #RUNS} runs in experiment "search". */
    static void populate(Path db) {
        populate("sqlite:" + db, RUNS);
    }

    /** Fills the SQLite file {@code db} with {@code runs} runs × 10 params × 10 metrics in experiment "search". */
    static void populate(Path db, int runs) {
        populate("sqlite:" + db, runs);
    }

    /**
     * Fills the store at {@code uri} with {@code runs} runs × 10 params × 10 metrics in experiment
     * "search", {@link #RECORD_BATCH} runs a {@code recordRuns} call. The same seed gives every
     * store the same runs, so figures of different stores search the same data.
     */
    static void populate(String uri, int runs) {
        String scheme = uri.substring(0, uri.indexOf(':'));
        StoreProvider provider = ServiceLoader.load(StoreProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.scheme().equals(scheme)).findFirst().orElseThrow();
        StoreProvider.Stores stores = provider.open(uri);
        try (var store = stores.tracking(); var artifacts = stores.artifacts()) {
            Instant start = Instant.parse("2026-01-01T00:00:00Z");
            String experimentId = store.createExperiment("search", start).id();
            Random random = new Random(7);
            byte[] id = new byte[16];
            List<RecordedRun> batch = new ArrayList<>(RECORD_BATCH);
            for (int r = 0; r < runs; r++) {
                random.nextBytes(id);
                String runId = HexFormat.of().formatHex(id);
                Instant started = start.plusMillis(r * 1000L);
                RunSpec spec = new RunSpec(runId, experimentId, "run-" + r, RunStatus.RUNNING, started,
                        artifacts.artifactUri(runId), Map.of("team", "team-" + (r % 100), "runlog.user", "bench"));
                Map<String, String> params = new LinkedHashMap<>();
                List<Metric> metrics = new ArrayList<>();
                for (int k = 0; k < 10; k++) {
                    params.put("p" + k, k == 1 ? (random.nextBoolean() ? "x" : "y") : Integer.toString(random.nextInt(1000)));
                    metrics.add(new Metric("m" + k, random.nextDouble(), 0, started.toEpochMilli()));
                }
                batch.add(new RecordedRun(spec, params, metrics, RunStatus.FINISHED, started.plusMillis(500)));
                if (batch.size() == RECORD_BATCH || r == runs - 1) {
                    store.recordRuns(batch);
                    batch.clear();
                }
            }
        }
    }

    static double firstPageMillis(Tracker tracker) {
        return medianMillis(() -> tracker.searchRuns().filter(FILTER).orderBy("metrics.m0 DESC").maxResults(100)
                .page().runs().size(), 100);
    }

    /**
     * Median of 7 after {@link #STREAM_WARM_UPS}: the JIT compiles the per-run reading of a
     * stream over its first ten or so (on PostgreSQL the client spent 400 ms of CPU a stream over
     * the first ten, 80 ms after), and the figure is the steady state, as the others are.
     */
    static double streamAllMillis(Tracker tracker, int[] matches) {
        return medianMillis(() -> {
            int n = (int) tracker.searchRuns().filter(FILTER).orderBy("metrics.m0 DESC").stream().count();
            matches[0] = n;
            return n;
        }, -1, STREAM_WARM_UPS);
    }

    static double tagLikeMillis(Tracker tracker) {
        return medianMillis(() -> tracker.searchRuns().filter("tags.team LIKE 'team-1%'").maxResults(100)
                .page().runs().size(), 100);
    }

    /** Median of 7 timed runs after 3 warm-ups; checks the size each run returns when one is expected. */
    private static double medianMillis(IntSupplier search, int expectedSize) {
        return medianMillis(search, expectedSize, 3);
    }

    private static double medianMillis(IntSupplier search, int expectedSize, int warmUps) {
        double[] times = new double[warmUps + 7];
        for (int i = 0; i < times.length; i++) {
            long t0 = System.nanoTime();
            int size = search.getAsInt();
            times[i] = (System.nanoTime() - t0) / 1e6;
            if (expectedSize >= 0 && size != expectedSize) {
                throw new IllegalStateException("search returned " + size + " runs, expected " + expectedSize);
            }
        }
        double[] measured = Arrays.copyOfRange(times, warmUps, times.length);
        Arrays.sort(measured);
        return measured[measured.length / 2];
    }
}
