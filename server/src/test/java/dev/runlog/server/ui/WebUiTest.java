package dev.runlog.server.ui;

import static dev.runlog.server.ui.UiFixture.IMG;
import static dev.runlog.server.ui.UiFixture.QUOTED;
import static dev.runlog.server.ui.UiFixture.SCRIPT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.registry.Gates;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.Stage;
import dev.runlog.registry.TransitionOptions;
import dev.runlog.server.RunlogServer;
import dev.runlog.server.ServerOptions;
import dev.runlog.tracking.Tracker;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/** Every page of the web UI in Chromium, over one server and one set of runs for the whole class. */
class WebUiTest {
    @RegisterExtension
    static final BrowserExtension BROWSER = new BrowserExtension();

    @TempDir
    static Path dir;

    static Tracker tracker;
    static RunlogServer server;
    static UiFixture data;

    @BeforeAll
    static void start() throws Exception {
        tracker = Tracker.inMemory();
        data = new UiFixture(tracker, dir);
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

    private void open(String hash) {
        BROWSER.open(server.uri(), hash);
    }

    private List<String> runNames() {
        return BROWSER.all("table.runs tbody tr td.name a").stream().map(WebElement::getText).toList();
    }

    @Test
    void experimentsListRunCountsAndTheDeletedOnesOnRequest() throws Exception {
        open("#/");
        WebElement sweep = BROWSER.awaitElement("tr[data-experiment='" + data.experimentId + "']");

        assertTrue(sweep.getText().startsWith("sweep 12 "), sweep.getText());
        assertTrue(BROWSER.all("tr.deleted").isEmpty());
        BROWSER.screenshot("experiments");
        BROWSER.driver().findElement(By.cssSelector("button[data-view='deleted']")).click();
        WebElement old = BROWSER.awaitElement("tr.deleted");
        assertTrue(old.getText().startsWith("old"), old.getText());
        assertTrue(BROWSER.driver().getCurrentUrl().endsWith("#/?view=deleted"), "the view is in the URL");
    }

    @Test
    void theRunsTableFiltersSortsPicksColumnsAndFoldsChildRuns() throws Exception {
        open("#/experiments/" + data.experimentId + "?cols=params.lr,metrics.accuracy");
        BROWSER.awaitElement("table.runs");
        assertEquals(10, runNames().size(), "12 runs, the 2 children folded under their parent");
        assertTrue(runNames().contains(SCRIPT));
        BROWSER.screenshot("runs");

        WebElement expander = BROWSER.awaitElement("button[data-expand='" + data.parent + "']");
        expander.click();
        BROWSER.await("the children unfolded", d -> runNames().size() == 12);
        assertEquals(2, BROWSER.all("tr.child").size());
        assertTrue(BROWSER.driver().getCurrentUrl().contains("open=" + data.parent), "the unfolded parent is in the URL");

        WebElement filter = BROWSER.awaitElement("input[name=filter]");
        filter.sendKeys("params.lr = '0.1'", Keys.ENTER);
        BROWSER.await("the filtered table", d -> runNames().size() == 2);
        assertEquals(List.of("lr0.1-d5", "lr0.1-d3"), runNames(), "newest first by default");

        BROWSER.awaitElement("th[data-sort='metrics.accuracy']").click();
        BROWSER.await("sorted by accuracy ascending", d -> runNames().equals(List.of("lr0.1-d3", "lr0.1-d5")));
        assertTrue(BROWSER.driver().getCurrentUrl().contains("order=metrics.accuracy"), BROWSER.driver().getCurrentUrl());
        BROWSER.awaitElement("th[data-sort='metrics.accuracy']").click();
        BROWSER.await("then descending", d -> runNames().equals(List.of("lr0.1-d5", "lr0.1-d3")));

        filter = BROWSER.awaitElement("input[name=filter]");
        filter.clear();
        filter.sendKeys("metrics.accuracy >> 1", Keys.ENTER);
        WebElement problem = BROWSER.awaitElement(".filter-problem .error");
        assertEquals("19", problem.getAttribute("data-column"), problem.getText());
        assertTrue(problem.getText().contains("column 19"), problem.getText());
        assertTrue(problem.getText().contains("^"), "a caret points at the column");
        BROWSER.screenshot("runs-bad-filter");
    }

    @Test
    void theRunsTablePagesByTokenWithThePageSizeInTheUrl() throws Exception {
        open("#/experiments/" + data.experimentId + "?size=4&filter=" + "params.optimizer%20%3D%20'adam'");
        BROWSER.awaitElement("table.runs");
        List<String> first = runNames();
        assertEquals(4, first.size());
        BROWSER.awaitElement("button[data-action=next]").click();
        BROWSER.await("the second page", d -> d.getCurrentUrl().contains("page=") && runNames().size() == 2);
        List<String> second = runNames();
        assertTrue(second.stream().noneMatch(first::contains), first + " then " + second);
        assertTrue(BROWSER.all("button[data-action=next]").isEmpty(), "the last page");
        BROWSER.driver().navigate().back();
        BROWSER.await("back to the first page", d -> runNames().equals(first));
    }

    @Test
    void selectedRunsAreComparedWithTheDifferingParamsHighlighted() throws Exception {
        open("#/experiments/" + data.experimentId);
        for (String id : List.of(data.sweep.get(0), data.sweep.get(4))) {
            BROWSER.awaitElement("tr[data-run='" + id + "'] td.pick input").click();
        }
        BROWSER.awaitElement("a[data-action=compare]").click();

        WebElement lr = BROWSER.awaitElement("table.compare tr[data-param='lr']");
        assertTrue(lr.getAttribute("class").contains("diff"), "lr 0.1 vs 0.01 differs");
        assertTrue(BROWSER.awaitElement("tr[data-param='depth']").getAttribute("class").contains("diff"));
        assertFalse(String.valueOf(BROWSER.awaitElement("tr[data-param='optimizer']").getAttribute("class")).contains("diff"));
        BROWSER.awaitElement("svg.sweep.scatter circle");
        assertEquals(2, BROWSER.all("svg.sweep.scatter circle").size());
        BROWSER.awaitElement(".chart[data-key='loss'] canvas");
        BROWSER.screenshot("compare");

        BROWSER.driver().findElements(By.cssSelector(".sweep-box ~ *, .seg button")).stream()
                .filter(b -> b.getText().equals("Parallel coordinates")).findFirst().orElseThrow().click();
        WebElement parallel = BROWSER.awaitElement("svg.sweep.parallel");
        assertEquals(2, parallel.findElements(By.cssSelector("polyline")).size());
    }

    @Test
    void theRunPageShowsParamsMetricsDatasetsArtifactsAndModels() throws Exception {
        open("#/runs/" + data.full);
        assertEquals("full", BROWSER.awaitElement("h1.run-name").getText());
        assertEquals("0.05", BROWSER.awaitElement("tr[data-param='lr'] td:last-child").getText());
        BROWSER.awaitElement("tr[data-metric='loss'] svg.spark polyline");
        assertTrue(BROWSER.all("svg.hist rect").size() > 0, "the dataset's histograms");
        BROWSER.awaitElement(".signature");
        WebElement version = BROWSER.await("the registry versions of the model", d -> d.findElements(By.cssSelector(".versions a"))
                .stream().filter(a -> a.getText().startsWith(UiFixture.MODEL)).findFirst().orElse(null));
        assertEquals(UiFixture.MODEL + " v2", version.getText(), "newest first");
        BROWSER.awaitElement(".chart[data-key='loss'] canvas");
        // The run's own metrics are charted first: six system/* keys took every default chart before.
        BROWSER.awaitElement(".chart[data-key='val_auc'] canvas");
        BROWSER.screenshot("run");
        BROWSER.screenshot("run-datasets-models", ".dataset");

        clickArtifact("data");
        clickArtifact("data/preds.csv");
        WebElement csv = BROWSER.awaitElement(".preview table.csv");
        assertEquals("x y", csv.findElement(By.tagName("thead")).getText());
        BROWSER.awaitElement(".crumbs a").click(); // back to the root
        clickArtifact("plots");
        clickArtifact("plots/curve.png");
        WebElement image = BROWSER.awaitElement(".preview img");
        BROWSER.await("the PNG loaded", d -> ((Number) BROWSER.script("return arguments[0].naturalWidth", image)).intValue() == 40);
        clickArtifact("plots/p.svg");
        WebElement none = BROWSER.awaitElement(".preview[data-preview='plots/p.svg']");
        assertTrue(none.findElements(By.cssSelector("img, iframe, object, embed, svg")).isEmpty(), "SVG is never shown inline");
        assertEquals("p.svg", BROWSER.awaitElement("tr[data-artifact='plots/p.svg'] a[download]").getAttribute("download"));
        clickArtifact("plots/curve.png");
        BROWSER.awaitElement(".preview img");
        BROWSER.screenshot("run-artifacts", ".artifacts");
    }

    @Test
    void aLongRunNameAndParamValueWrapInsideThePage() throws Exception {
        String value = "v".repeat(5_993);
        String runId = tracker.newRun("long-values").name("n".repeat(214))
                .run(r -> r.logParam("k".repeat(244), value).logMetric("loss", 1, 0)).info().id();
        open("#/runs/" + runId);
        WebElement cell = BROWSER.awaitElement("table.params tbody td:last-child");
        assertEquals(value.length(), ((String) BROWSER.script("return arguments[0].textContent", cell)).length());
        long pageWidth = ((Number) BROWSER.script("return document.documentElement.scrollWidth")).longValue();
        long windowWidth = ((Number) BROWSER.script("return window.innerWidth")).longValue();
        assertTrue(pageWidth <= windowWidth, () -> "the page is " + pageWidth + " px wide in a window of " + windowWidth + "; too wide: "
                + BROWSER.script("return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
                + " > window.innerWidth + 1).slice(0, 6).map(e => e.tagName + '.' + e.className + ' '"
                + " + Math.round(e.getBoundingClientRect().width)).join('; ')"));
        long cellHeight = ((Number) BROWSER.script("return arguments[0].getBoundingClientRect().height", cell)).longValue();
        assertTrue(cellHeight > 100, "the value wraps, read whole, not cut to one line: " + cellHeight + " px");
    }

    /** A tooltip or a screen reader's label showed a run's name with its bidi override live, as text no longer does. */
    @Test
    void aBidiOverrideInARunsNameIsShownEscapedInTheLabelsATooltipOrScreenReaderReads() throws Exception {
        String runId = tracker.newRun("bidi-labels").name(UiFixture.SPOOF).run(r -> r.logMetric("loss", 1, 0)).info().id();
        open("#/experiments/" + tracker.getRun(runId).info().experimentId());
        WebElement pick = BROWSER.awaitElement("tr[data-run='" + runId + "'] td.pick input");
        assertEquals("Select report\\u202Efdp.exe", pick.getAttribute("aria-label"));
    }

    private void clickArtifact(String path) {
        BROWSER.awaitElement("tr[data-artifact='" + path + "'] td:first-child a").click();
        BROWSER.await("the URL at " + path, d -> d.getCurrentUrl().endsWith("art=" + path.replace("/", "%2F")));
    }

    @Test
    void theChartDrawsTheRunsAsSeriesAndZoomFetchesTheFinerRange() throws Exception {
        open("#/chart?runs=" + data.longRun + "," + data.sweep.get(0) + "," + data.sweep.get(1) + "&keys=val/loss,loss");
        WebElement loss = BROWSER.awaitElement(".chart[data-key='loss'][data-fetches='1']");
        assertEquals("[\"lr0.1-d3\",\"lr0.01-d3\"]", loss.getAttribute("data-series"), "the runs that logged loss, overlaid");
        assertNotNull(loss.findElement(By.tagName("canvas")));
        List<String> legend = loss.findElements(By.cssSelector(".u-legend .u-series .u-label")).stream().map(WebElement::getText).toList();
        assertTrue(legend.containsAll(List.of("lr0.1-d3", "lr0.01-d3")), legend.toString());
        WebElement chart = BROWSER.awaitElement(".chart[data-key='val/loss'][data-fetches='1']");
        assertEquals("[\"long\"]", chart.getAttribute("data-series"));
        assertEquals("true", chart.getAttribute("data-downsampled"), "5,000 points for a chart some 600 px wide");
        assertEquals(4999, BrowserExtension.number(chart, "data-xmax"));
        BROWSER.screenshot("chart");

        WebElement over = chart.findElement(By.cssSelector(".u-over"));
        int width = over.getSize().getWidth();
        // Drag over the middle tenth of the x axis.
        new Actions(BROWSER.driver()).moveToElement(over, -width / 20, 0).clickAndHold()
                .moveByOffset(width / 10, 0).release().perform();
        BROWSER.await("the zoomed range fetched", d -> "2".equals(chart.getAttribute("data-fetches")));
        assertEquals("true", chart.getAttribute("data-zoomed"));
        assertEquals("false", chart.getAttribute("data-downsampled"), "the narrower range has every point");
        double span = BrowserExtension.number(chart, "data-xmax") - BrowserExtension.number(chart, "data-xmin");
        assertTrue(span > 100 && span < 1_000, "about a tenth of 5,000 steps: " + span);
        BROWSER.screenshot("chart-zoomed");

        new Actions(BROWSER.driver()).doubleClick(over).perform();
        BROWSER.await("reset to the whole series", d -> "3".equals(chart.getAttribute("data-fetches")));
        assertEquals("true", chart.getAttribute("data-downsampled"));
        assertEquals(0, BrowserExtension.number(chart, "data-xmin"));
    }

    @Test
    void theRegistryShowsVersionsAndAPromotionAppearsInTheTimeline() throws Exception {
        open("#/models");
        BROWSER.awaitElement("tr[data-model='" + UiFixture.MODEL + "'] a").click();
        WebElement v1 = BROWSER.awaitElement("tr[data-version='1']");
        assertTrue(v1.getText().contains("Staging") && v1.getText().contains("champion"), v1.getText());

        ModelRegistry.of(tracker).promote(UiFixture.MODEL, 2, Stage.PRODUCTION,
                TransitionOptions.archiveExisting().comment("beats v1 on the holdout").user("ana"),
                Gates.parse("metrics.accuracy >= 0.95"));
        open("#/models/" + UiFixture.MODEL);
        WebElement latest = BROWSER.awaitElement("ol.timeline li");
        assertTrue(latest.getText().contains("beats v1 on the holdout"), latest.getText());
        assertTrue(latest.getText().contains("by ana"), latest.getText());
        assertTrue(latest.getText().contains("None → Production"), latest.getText());
        if (!latest.findElements(By.cssSelector(".gate")).isEmpty()) {
            // Gate results in the trail arrive with the registry change that records them.
            assertTrue(latest.findElement(By.cssSelector(".gate.passed")).getText().contains("metrics.accuracy"));
        }
        assertTrue(BROWSER.awaitElement("tr[data-version='2']").getText().contains("Production"));
        BROWSER.screenshot("model");
        open("#/models");
        BROWSER.awaitElement("table.models");
        BROWSER.screenshot("models");
    }

    @Test
    void storedStringsRenderAsTextAndNothingIsBlockedByTheContentSecurityPolicy() throws Exception {
        BROWSER.console();
        open("#/experiments/" + data.experimentId + "?cols=params.quoted");
        BROWSER.awaitElement("tr[data-run='" + data.xss + "']");
        assertTrue(runNames().contains(SCRIPT));
        open("#/runs/" + data.xss);
        assertEquals(SCRIPT, BROWSER.awaitElement("h1.run-name").getText());
        assertEquals(IMG, BROWSER.awaitElement("tr[data-tag='note'] td:nth-child(2)").getText());
        assertEquals("report\\u202Efdp.exe", BROWSER.awaitElement("tr[data-tag='spoof'] td:nth-child(2)").getText(),
                "a bidirectional override is shown escaped, as the CLI shows it");
        assertEquals("base\\u200Bline", BROWSER.awaitElement("tr[data-tag='lookalike'] td:nth-child(2)").getText(),
                "an invisible character is shown escaped, as the CLI shows it");
        assertEquals(QUOTED, BROWSER.awaitElement("tr[data-param='quoted'] td:last-child").getText());
        BROWSER.screenshot("run-xss");

        assertThrows(NoAlertPresentException.class, () -> BROWSER.driver().switchTo().alert());
        assertEquals(0L, BROWSER.script("return document.querySelectorAll('img[src=x], main script').length"));
        assertEquals(1L, BROWSER.script("return document.scripts.length"), "only the app's own module");
        open("#/chart?runs=" + data.sweep.get(0));
        BROWSER.awaitElement(".chart canvas");
        List<String> blocked = BROWSER.console().stream()
                .filter(line -> line.contains("Content Security Policy") || line.contains("Uncaught")).toList();
        assertEquals(List.of(), blocked);
    }
}
