package dev.runlog.server.ui;

import static dev.runlog.server.ui.BrowserExtension.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.server.RunlogServer;
import dev.runlog.server.ServerOptions;
import dev.runlog.tracking.Tracker;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The chart controls in Chromium: the x axis, the log scale and smoothing, each as a user sets it,
 * read off the chart's data- attributes (which chart.js fills from its uPlot instance).
 */
class WebUiChartControlsTest {
    @RegisterExtension
    static final BrowserExtension BROWSER = new BrowserExtension();

    static final Instant EPOCH = Instant.parse("2024-03-01T12:00:00Z");
    static final int STEPS = 50;

    static Tracker tracker;
    static RunlogServer server;
    static String runId;
    static String spikyRunId;
    static String twiceRunId;
    static String finalA;
    static String finalB;

    /** A clock that moves 10 s on at every reading, so each point has its own time. */
    static final class Ticking extends Clock {
        private long reads;

        @Override
        public synchronized Instant instant() {
            return EPOCH.plusSeconds(10 * reads++);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("one zone is enough for a test clock");
        }
    }

    @BeforeAll
    static void start() {
        tracker = Tracker.builder().uri("memory:").clock(new Ticking()).build();
        // A noisy, falling loss: smoothing changes it visibly, and every value is positive for the log scale.
        runId = tracker.newRun("charts").name("noisy").run(r -> {
            for (int step = 0; step < STEPS; step++) {
                r.logMetric("loss", 10.0 / (1 + step) + (step % 2 == 0 ? 0.5 : 0), step);
            }
        }).info().id();
        spikyRunId = tracker.newRun("charts").name("spiky").run(r -> {
            double[] values = {1, Double.POSITIVE_INFINITY, 2, Double.NaN, 3, Double.NEGATIVE_INFINITY, 4};
            for (int step = 0; step < values.length; step++) {
                r.logMetric("loss", values[step], step);
            }
        }).info().id();
        // Two points at step 2: the spike is logged at a step already used.
        twiceRunId = tracker.newRun("charts").name("twice").run(r -> {
            for (int step = 0; step < 5; step++) {
                r.logMetric("loss", 1, step);
            }
            r.logMetric("loss", 100, 2);
        }).info().id();
        // A score logged once, at the last step, as final scores are.
        finalA = tracker.newRun("charts").name("final-a").run(r -> r.logMetric("score", 0.92, 99)).info().id();
        finalB = tracker.newRun("charts").name("final-b").run(r -> r.logMetric("score", 0.91, 99)).info().id();
        server = RunlogServer.start(tracker, ServerOptions.defaults());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (tracker != null) {
            tracker.close();
        }
    }

    private static WebElement chart(String hash) {
        BROWSER.open(server.uri(), hash);
        return BROWSER.awaitElement(".chart[data-key='loss'][data-fetches='1']");
    }

    private static String url() {
        return BROWSER.driver().getCurrentUrl();
    }

    @Test
    void theXSwitchRedrawsOverWallTimeAndTimeSinceTheStart() {
        WebElement chart = chart("#/chart?runs=" + runId + "&keys=loss");
        assertEquals("step", chart.getAttribute("data-x"));
        assertEquals(0, number(chart, "data-xmin"));
        assertEquals(STEPS - 1, number(chart, "data-xmax"));
        assertEquals("false", chart.getAttribute("data-xtime"));
        Select x = new Select(BROWSER.awaitElement("select[name=x]"));

        x.selectByValue("time");
        BROWSER.await("the chart over wall time", d -> "time".equals(chart.getAttribute("data-x"))
                && "2".equals(chart.getAttribute("data-fetches")));
        assertEquals("true", chart.getAttribute("data-xtime"), "uPlot's x scale is a time scale");
        double first = number(chart, "data-xmin");
        double last = number(chart, "data-xmax");
        assertTrue(first > EPOCH.getEpochSecond() && first < EPOCH.getEpochSecond() + 3_600, "epoch seconds: " + first);
        assertEquals(10 * (STEPS - 1), last - first, "one clock reading, 10 s, a point");
        assertTrue(url().contains("x=time"), url());

        x.selectByValue("relative");
        BROWSER.await("the chart over time since the start", d -> "relative".equals(chart.getAttribute("data-x"))
                && "3".equals(chart.getAttribute("data-fetches")));
        assertEquals("false", chart.getAttribute("data-xtime"), "seconds, not dates");
        double start = number(chart, "data-xmin");
        assertTrue(start > 0 && start < 100, "seconds after the run's start: " + start);
        assertEquals(10 * (STEPS - 1), number(chart, "data-xmax") - start);
        assertTrue(url().contains("x=relative"), url());

        x.selectByValue("step");
        BROWSER.await("back to steps", d -> "step".equals(chart.getAttribute("data-x")) && "4".equals(chart.getAttribute("data-fetches")));
        assertEquals(STEPS - 1, number(chart, "data-xmax"));
        assertFalse(url().contains("x="), "step is the default, left out of the URL: " + url());
    }

    @Test
    void nonFinitePointsAreGapsAndTheOtherPointsAndRunsAreStillDrawn() {
        WebElement chart = chart("#/chart?runs=" + spikyRunId + "," + runId + "&keys=loss");
        BROWSER.await("a y axis", d -> !chart.getAttribute("data-ymax").isEmpty());
        double noisy = noisySum();
        assertEquals(1 + 2 + 3 + 4 + noisy, number(chart, "data-ydrawn"), 1e-9, "every finite point of both runs");
        assertTrue(number(chart, "data-ymax") >= 10.5, "the axis reaches the noisy run's first point");
    }

    /** The sum of the noisy run's values, what a chart of it draws unsmoothed. */
    private static double noisySum() {
        double sum = 0;
        for (int step = 0; step < STEPS; step++) {
            sum += 10.0 / (1 + step) + (step % 2 == 0 ? 0.5 : 0);
        }
        return sum;
    }

    @Test
    void overlaidRunsKeepEveryPointThatSharesAnX() {
        WebElement chart = chart("#/chart?runs=" + twiceRunId + "," + runId + "&keys=loss");
        BROWSER.await("a y axis", d -> !chart.getAttribute("data-ymax").isEmpty());
        double noisy = noisySum();
        assertEquals(5 + 100 + noisy, number(chart, "data-ydrawn"), 1e-9, "the second point at step 2 is drawn too");
        assertTrue(number(chart, "data-ymax") >= 100, "the axis reaches the spike: " + chart.getAttribute("data-ymax"));
    }

    /** Each run's one point shared one x with the other's: uPlot saw no room between rows and drew neither. */
    @Test
    void overlaidRunsOfOnePointEachAreDrawnAsPoints() {
        BROWSER.open(server.uri(), "#/chart?runs=" + finalA + "," + finalB + "&keys=score");
        WebElement chart = BROWSER.awaitElement(".chart[data-key='score'][data-fetches='1']");
        BROWSER.await("a y axis", d -> !chart.getAttribute("data-ymax").isEmpty());
        // Pixels of each run's colour (the first two of chart.js's COLORS) on the plot's canvas.
        for (String color : new String[] {"#2563eb", "#dc2626"}) {
            long pixels = (Long) BROWSER.script("const c = arguments[0].querySelector('canvas');"
                    + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                    + "const [r, g, b] = [1, 3, 5].map((i) => parseInt(arguments[1].substr(i, 2), 16));"
                    + "let n = 0; for (let i = 0; i < d.length; i += 4) {"
                    + "  if (Math.abs(d[i] - r) < 40 && Math.abs(d[i + 1] - g) < 40 && Math.abs(d[i + 2] - b) < 40) n++; }"
                    + "return n;", chart, color);
            assertTrue(pixels > 5, color + ": " + pixels + " pixels drawn");
        }
    }

    @Test
    void theLogToggleSwitchesTheYScaleAndKeepsItInTheUrl() {
        WebElement chart = chart("#/chart?runs=" + runId + "&keys=loss");
        assertEquals("false", chart.getAttribute("data-ylog"));
        String raw = chart.getAttribute("data-yraw");
        WebElement log = BROWSER.awaitElement("input[name=log]");

        log.click();
        BROWSER.await("a log y scale", d -> "true".equals(chart.getAttribute("data-ylog")));
        assertTrue(url().contains("log=1"), url());
        assertEquals(raw, chart.getAttribute("data-ydrawn"), "the same values, on another scale");

        log.click();
        BROWSER.await("a linear y scale again", d -> "false".equals(chart.getAttribute("data-ylog")));
        assertFalse(url().contains("log="), url());

        WebElement reopened = chart("#/chart?runs=" + runId + "&keys=loss&log=1&x=relative");
        assertEquals("true", reopened.getAttribute("data-ylog"), "the URL's state is the chart's state");
        assertEquals("relative", reopened.getAttribute("data-x"));
        assertTrue(BROWSER.awaitElement("input[name=log]").isSelected());
    }

    @Test
    void smoothingChangesTheDrawnValuesButNotTheRawOnes() {
        WebElement chart = chart("#/chart?runs=" + runId + "&keys=loss");
        String raw = chart.getAttribute("data-yraw");
        assertEquals(raw, chart.getAttribute("data-ydrawn"), "unsmoothed, the drawn values are the raw ones");
        WebElement slider = BROWSER.awaitElement("input[name=smooth]");

        slider.sendKeys(Keys.END);
        BROWSER.await("the smoothed series drawn", d -> !raw.equals(chart.getAttribute("data-ydrawn")));
        assertEquals(raw, chart.getAttribute("data-yraw"), "the points at hand are kept as they came");
        // An average of a falling series lags above it: the smoothed sum is the larger.
        assertTrue(number(chart, "data-ydrawn") > number(chart, "data-yraw"));
        assertEquals("1", chart.getAttribute("data-fetches"), "smoothing redraws without fetching");
        BROWSER.await("the smoothing in the URL", d -> url().contains("smooth=0.99"));

        slider.sendKeys(Keys.HOME);
        BROWSER.await("unsmoothed again", d -> raw.equals(chart.getAttribute("data-ydrawn")));
        assertNotEquals("0.99", BROWSER.awaitElement(".chart-controls output").getText());
    }
}
