package dev.runlog.server.ui;

import static dev.runlog.server.ui.UiFixture.IMG;
import static dev.runlog.server.ui.UiFixture.SCRIPT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.registry.ModelEvent;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.Stage;
import dev.runlog.registry.TransitionOptions;
import dev.runlog.server.RunlogServer;
import dev.runlog.server.ServerOptions;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.LoggedModel;
import dev.runlog.tracking.ModelOptions;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The web UI's write forms in Chromium, as a user fills them, against a server started with writes
 * allowed: what the page shows after each write, and what the Tracker and ModelRegistry then hold.
 * Each test writes to runs and models of its own, so the order the tests run in does not matter.
 */
class WebUiWritesTest {
    @RegisterExtension
    static final BrowserExtension BROWSER = new BrowserExtension();

    /** The audit trail's user for a write through the web: the server's OS user, marked. */
    static final String WEB_USER = System.getProperty("user.name") + " (web)";
    static final String NOTE = "mlflow.note.content";

    static Tracker tracker;
    static ModelRegistry registry;
    static RunlogServer server;
    static RunlogServer readOnly;
    /** FINISHED runs: one per run-page test; the weak one and the strong one logged a model each. */
    static String reviewed;
    static String attacked;
    static String weak;
    static String strong;

    @BeforeAll
    static void start() {
        tracker = Tracker.inMemory();
        registry = ModelRegistry.of(tracker);
        reviewed = finishedRun("reviewed", 0.8);
        attacked = finishedRun("attacked", 0.8);
        LoggedModel weakModel = modelRun("weak", 0.7);
        LoggedModel strongModel = modelRun("strong", 0.9);
        weak = weakModel.runId();
        strong = strongModel.runId();
        for (String name : List.of("gated", "aliased", "commented")) {
            registry.register(name, weakModel.uri());
            registry.register(name, strongModel.uri());
        }
        registry.transition("gated", 1, Stage.PRODUCTION, TransitionOptions.defaults().user("ana"));
        server = RunlogServer.start(tracker, ServerOptions.defaults().allowWrites(true));
        readOnly = RunlogServer.start(tracker, ServerOptions.defaults());
    }

    private static String finishedRun(String name, double acc) {
        return tracker.newRun("writes").name(name).run(r -> r.logParam("lr", 0.1).logMetric("acc", acc)).info().id();
    }

    private static LoggedModel modelRun(String name, double acc) {
        try (ActiveRun run = tracker.newRun("writes").name(name).start()) {
            run.logMetric("acc", acc);
            return run.logModel("model", List.of(1.0, 2.0), ModelOptions.defaults());
        }
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {server, readOnly, tracker}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    private static void open(RunlogServer on, String hash) {
        BROWSER.open(on.uri(), hash);
    }

    private static Map<String, String> tags(String runId) {
        return tracker.getRun(runId).data().tags();
    }

    private static void type(WebElement form, String field, String text) {
        WebElement input = form.findElement(By.name(field));
        input.clear();
        input.sendKeys(text);
    }

    private static void submit(WebElement form) {
        form.findElement(By.cssSelector("button[type=submit]")).click();
    }

    private static WebElement stageForm(int version) {
        return BROWSER.awaitElement("form[data-form='stage'][data-version='" + version + "']");
    }

    /** Fills a version's stage form and sends it; {@code gates} one expression a line. */
    private static void changeStage(int version, String stage, boolean archive, String comment, String gates, String beats) {
        WebElement form = stageForm(version);
        new Select(form.findElement(By.name("stage"))).selectByValue(stage);
        WebElement box = form.findElement(By.name("archive_existing"));
        if (box.isSelected() != archive) {
            box.click();
        }
        type(form, "comment", comment);
        type(form, "gates", gates);
        type(form, "beats_current", beats);
        submit(form);
    }

    private static String stageOf(int version) {
        return BROWSER.awaitElement("tr[data-version='" + version + "']").getAttribute("data-stage");
    }

    @Test
    void aFinishedRunTakesATagThenLosesItAndItsNoteIsEdited() throws Exception {
        assertEquals(RunStatus.FINISHED, tracker.getRun(reviewed).info().status());
        open(server, "#/runs/" + reviewed);
        WebElement form = BROWSER.awaitElement("form[data-form='add-tag']");
        type(form, "key", "verdict");
        type(form, "value", "ship it");
        submit(form);
        WebElement row = BROWSER.awaitElement("tr[data-tag='verdict']");
        assertEquals("ship it", row.findElement(By.cssSelector("td:nth-child(2)")).getText());
        assertEquals("ship it", tags(reviewed).get("verdict"));

        BROWSER.awaitElement("tr[data-tag='verdict'] button[title='Remove tag verdict']").click();
        // The table drawn again without the row (the old one has it, the page being drawn has no table yet).
        BROWSER.await("the tag gone from the table", d -> !BROWSER.all("table.tags").isEmpty()
                && BROWSER.all("tr[data-tag='verdict']").isEmpty());
        assertFalse(tags(reviewed).containsKey("verdict"));

        form = BROWSER.awaitElement("form[data-form='note']");
        type(form, "note", "Overfits after epoch 3.\nKeep for the ablation.");
        submit(form);
        BROWSER.await("the note shown", d -> d.findElements(By.cssSelector("pre.note")).stream()
                .anyMatch(p -> p.getText().equals("Overfits after epoch 3.\nKeep for the ablation.")));
        assertEquals("Overfits after epoch 3.\nKeep for the ablation.", tags(reviewed).get(NOTE));
        assertTrue(BROWSER.all("tr[data-tag='" + NOTE + "']").isEmpty(), "the note is shown as the note, not as a tag");
        BROWSER.screenshot("run-writes", "pre.note");
    }

    @Test
    void aStageChangeAndAGatedPromotionGoThroughTheRegistryAndItsTimeline() throws Exception {
        open(server, "#/models/gated");
        changeStage(2, "Staging", false, "ready for a look", "", "");
        BROWSER.await("v2 in Staging", d -> "STAGING".equals(stageOf(2)));
        WebElement latest = BROWSER.awaitElement("ol.timeline > li");
        assertTrue(latest.getText().contains("None → Staging"), latest.getText());
        assertEquals("“ready for a look”", latest.findElement(By.cssSelector(".why")).getText());
        assertEquals("by " + WEB_USER, latest.findElement(By.cssSelector(".who")).getText());

        changeStage(2, "Production", true, "too early", "metrics.acc >= 0.99\nmetrics.acc > 0.95", "acc");
        WebElement outcome = BROWSER.awaitElement("form[data-form='stage'][data-version='2'] .outcome.error");
        List<String> failed = BROWSER.await("the failed gates", d -> {
            List<String> texts = outcome.findElements(By.cssSelector(".gate.failed")).stream().map(WebElement::getText).toList();
            return texts.isEmpty() ? null : texts;
        });
        assertEquals(List.of("✗ metrics.acc >= 0.99: actual 0.9, required >= 0.99",
                "✗ metrics.acc > 0.95: actual 0.9, required > 0.95"), failed, "every failed gate, none that passed");
        assertEquals(Stage.STAGING, registry.getVersion("gated", 2).stage(), "nothing changed");
        assertEquals(Stage.PRODUCTION, registry.getVersion("gated", 1).stage());
        assertEquals("STAGING", stageOf(2));
        // Another version's form refused too: only its own refusal is shown, not v2's beside it.
        changeStage(1, "Archived", false, "", "metrics.acc >", "");
        BROWSER.awaitElement("form[data-form='stage'][data-version='1'] .outcome.error");
        assertTrue(BROWSER.all("form[data-form='stage'][data-version='2'] .outcome.error, .gate.failed").isEmpty(),
                "v2's earlier refusal is cleared");

        changeStage(2, "Production", true, "beats v1 on the holdout", "metrics.acc >= 0.5", "acc");
        BROWSER.await("v2 in Production", d -> "PRODUCTION".equals(stageOf(2)));
        assertEquals("ARCHIVED", stageOf(1));
        assertEquals(Stage.PRODUCTION, registry.getVersion("gated", 2).stage());
        assertEquals(Stage.ARCHIVED, registry.getVersion("gated", 1).stage(), "the previous holder archived");
        WebElement promotion = BROWSER.all("ol.timeline > li").stream()
                .filter(li -> li.getText().contains("Staging → Production")).findFirst().orElseThrow();
        List<String> passed = promotion.findElements(By.cssSelector(".gate.passed")).stream().map(g -> g.getAttribute("data-gate")).toList();
        assertEquals(List.of("metrics.acc >= 0.5", "metrics.acc beats the current production version"), passed);
        assertTrue(promotion.getText().contains("beats v1 on the holdout") && promotion.getText().contains("by " + WEB_USER),
                promotion.getText());
        WebElement gate = promotion.findElement(By.cssSelector(".gate.passed"));
        assertEquals("none", BROWSER.script("return getComputedStyle(arguments[0], '::before').content", gate),
                "a gate line is no event of the timeline: it has no dot of its own");
        BROWSER.screenshot("model-writes", ".write-forms");
    }

    @Test
    void anAliasIsSetAndDeletedThroughTheForms() {
        open(server, "#/models/aliased");
        WebElement form = BROWSER.awaitElement("form[data-form='alias']");
        type(form, "alias", "candidate");
        new Select(form.findElement(By.name("version"))).selectByValue("2");
        submit(form);
        WebElement badge = BROWSER.awaitElement("tr[data-version='2'] .badge-alias");
        assertEquals("@candidate", badge.getText());
        assertEquals(Map.of("candidate", 2), registry.getModel("aliased").aliases());

        BROWSER.awaitElement("button[title='Delete alias candidate']").click();
        BROWSER.await("the badges gone", d -> !BROWSER.all("table.versions").isEmpty()
                && BROWSER.all("tr[data-version] .badge-alias, .bar .badge-alias").isEmpty());
        assertEquals(Map.of(), registry.getModel("aliased").aliases());
    }

    @Test
    void aReadOnlyServerOnTheSameTrackerShowsNoWriteForms() {
        open(readOnly, "#/runs/" + reviewed);
        BROWSER.awaitElement("table.tags");
        assertEquals(List.of(), BROWSER.all("form, .outcome, button[title^='Remove tag']"));
        open(readOnly, "#/models/aliased");
        BROWSER.awaitElement("table.versions");
        BROWSER.awaitElement("ol.timeline");
        assertEquals(List.of(), BROWSER.all("form, .write-forms, button[title^='Delete alias']"));
    }

    @Test
    void aScriptTypedIntoATagValueOrACommentStaysText() {
        open(server, "#/runs/" + attacked);
        WebElement form = BROWSER.awaitElement("form[data-form='add-tag']");
        type(form, "key", "payload");
        type(form, "value", IMG);
        submit(form);
        assertEquals(IMG, BROWSER.awaitElement("tr[data-tag='payload'] td:nth-child(2)").getText());
        assertEquals(IMG, tags(attacked).get("payload"));
        assertNothingInjected();

        open(server, "#/models/commented");
        changeStage(1, "Staging", false, SCRIPT, "", "");
        WebElement why = BROWSER.awaitElement("ol.timeline > li .why");
        assertEquals("“" + SCRIPT + "”", why.getText());
        List<ModelEvent> trail = registry.history("commented", 1);
        assertEquals(SCRIPT, trail.get(trail.size() - 1).comment());
        assertNothingInjected();
    }

    private static void assertNothingInjected() {
        assertThrows(NoAlertPresentException.class, () -> BROWSER.driver().switchTo().alert());
        assertEquals(0L, BROWSER.script("return document.querySelectorAll('img[src=x], main script, main img').length"));
        assertEquals(1L, BROWSER.script("return document.scripts.length"), "only the app's own module");
    }
}
