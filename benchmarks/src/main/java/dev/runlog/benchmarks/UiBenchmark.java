package dev.runlog.benchmarks;

import dev.runlog.server.RunlogServer;
import dev.runlog.server.ServerOptions;
import dev.runlog.server.ui.Chromium;
import dev.runlog.tracking.Tracker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Consumer;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI's runs page with 1,000 runs × 10 params × 10 metrics (SQLite) in headless Chromium:
 * from navigation to the table showing all 1,000 rows (page size 1,000), as the page itself marks
 * it ({@code performance.mark('runlog:runs-table')}), median of 5 after one warm-up; printed beside
 * the time the same browser takes just to fetch and parse that page's JSON.
 */
final class UiBenchmark {
    static final int RUNS = 1_000;

    private UiBenchmark() {
    }

    static void run(Path work, Consumer<Figure> out) throws IOException {
        if (!Chromium.installed()) {
            System.err.println("ui figure skipped: " + Chromium.missing());
            return;
        }
        Path db = work.resolve("ui.db");
        SearchBenchmark.populate(db, RUNS);
        Path profile = Files.createTempDirectory(work, "chromium");
        try (Tracker tracker = Tracker.builder().uri("sqlite:" + db).shutdownHook(false).build();
             RunlogServer server = RunlogServer.start(tracker, ServerOptions.defaults())) {
            String experiment = tracker.getExperimentByName("search").orElseThrow().id();
            ChromeDriver driver = Chromium.start(profile);
            try {
                String page = server.uri() + "#/experiments/" + experiment + "?size=" + RUNS;
                String json = "/api/runs?experiment=" + experiment + "&max_results=" + RUNS;
                double[] table = new double[6];
                double[] fetch = new double[6];
                for (int i = 0; i < table.length; i++) {
                    driver.get("about:blank");
                    driver.get(page);
                    table[i] = ((Number) new WebDriverWait(driver, Duration.ofSeconds(60)).pollingEvery(Duration.ofMillis(20))
                            .until(d -> ((JavascriptExecutor) d).executeScript(
                                    "const m = performance.getEntriesByName('runlog:runs-table');"
                                            + "return m.length && document.querySelectorAll('table.runs tbody tr').length === "
                                            + RUNS + " ? m[0].startTime : null;"))).doubleValue();
                    fetch[i] = ((Number) driver.executeAsyncScript(
                            "const done = arguments[arguments.length - 1]; const t0 = performance.now();"
                                    + "fetch(arguments[0]).then(r => r.json()).then(b => done(b.runs.length === " + RUNS
                                    + " ? performance.now() - t0 : -1));", json)).doubleValue();
                    if (fetch[i] < 0) {
                        throw new IllegalStateException("the runs page's JSON did not hold " + RUNS + " runs");
                    }
                }
                out.accept(new Figure("ui_runs_table_1000_rows_chromium", median(table), "ms", 1_000, false, null));
                out.accept(new Figure("ui_runs_json_1000_rows_fetch_only", median(fetch), "ms", 1_000, false, null));
            } finally {
                driver.quit();
            }
        }
    }

    /** Median of the runs after the first (the warm-up: JIT, SQLite's page cache, the browser's module cache). */
    private static double median(double[] times) {
        double[] measured = Arrays.copyOfRange(times, 1, times.length);
        Arrays.sort(measured);
        return measured[measured.length / 2];
    }
}
