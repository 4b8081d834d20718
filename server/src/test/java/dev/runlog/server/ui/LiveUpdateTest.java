package dev.runlog.server.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.server.RunlogServer;
import dev.runlog.server.ServerOptions;
import dev.runlog.tracking.Tracker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Live pages: another process logs to the SQLite file the server reads, and the open page shows
 * its new points and its end by itself. The waits allow 5 s; what makes it within 2 s is the UI's
 * one-second poll, not a timed assertion.
 */
class LiveUpdateTest {
    @RegisterExtension
    static final BrowserExtension BROWSER = new BrowserExtension();

    @TempDir
    Path dir;

    @Test
    void aRunLoggedByAnotherProcessUpdatesTheChartAndStatusInPlace() throws Exception {
        Path db = dir.resolve("runs.db");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), LiveChild.class.getName(), db.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                out.lines().forEach(lines::add);
            } catch (IOException e) {
                lines.add("READ FAILED " + e);
            }
        }, "live-child-output");
        reader.setDaemon(true);
        reader.start();
        PrintWriter in = new PrintWriter(child.getOutputStream(), true, StandardCharsets.UTF_8);
        try {
            String[] started = expect(lines, "STARTED").split(" ");
            String runId = started[1];
            try (Tracker tracker = Tracker.open("sqlite:" + db);
                 RunlogServer server = RunlogServer.start(tracker, ServerOptions.defaults())) {
                BROWSER.open(server.uri(), "#/runs/" + runId);
                WebElement chart = BROWSER.awaitElement(".chart[data-key='loss'][data-fetches='1']");
                assertEquals("0", chart.getAttribute("data-xmax"));
                assertEquals("RUNNING", BROWSER.awaitElement(".bar .status").getText());

                in.println("LOG 50");
                expect(lines, "LOGGED 50");
                BROWSER.await("the other process's points in the chart", d -> "50".equals(chart.getAttribute("data-xmax")));
                BROWSER.await("the latest step in the metrics table",
                        d -> d.findElement(By.cssSelector("tr[data-metric='loss'] td:nth-child(3)")).getText().equals("50"));
                assertNotNull(BROWSER.awaitElement("#live:not([hidden])"), "the live marker shows while polling");
                BROWSER.screenshot("live-run");

                BROWSER.open(server.uri(), "#/experiments/" + started[2]);
                WebElement row = BROWSER.awaitElement("tr[data-run='" + runId + "']");
                assertEquals("RUNNING", row.getAttribute("data-status"));
                in.println("END");
                expect(lines, "ENDED");
                BROWSER.await("FINISHED in the runs table", d -> d.findElements(
                        By.cssSelector("tr[data-run='" + runId + "'][data-status='FINISHED']")).size() == 1);
                BROWSER.await("polling stopped", d -> !BROWSER.all("#live[hidden]").isEmpty());
            }
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child ended");
            assertEquals(0, child.exitValue());
        } finally {
            child.destroyForcibly();
        }
    }

    private static String expect(BlockingQueue<String> lines, String prefix) throws InterruptedException {
        List<String> seen = new ArrayList<>();
        while (true) {
            String line = lines.poll(60, TimeUnit.SECONDS);
            if (line == null) {
                throw new AssertionError("the child printed no line starting " + prefix + " within 60 s; it printed " + seen);
            }
            if (line.startsWith(prefix)) {
                return line;
            }
            seen.add(line);
        }
    }
}
