package dev.runlog.server.ui;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Debian Chromium ({@link Chromium}) for a whole test class (register it as a static
 * field with {@code @RegisterExtension}): starting a browser costs a second or two, a page load
 * milliseconds. Without the browser or its driver the class is skipped with a message, or fails
 * when {@code CI=true}: a CI that should run these tests must not pass by skipping them.
 */
public final class BrowserExtension implements BeforeAllCallback, AfterAllCallback {
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Duration WAIT = Duration.ofSeconds(5);

    private ChromeDriver driver;
    private Path profile;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        if (!Chromium.installed()) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(Chromium.missing());
            }
            Assumptions.abort(Chromium.missing());
        }
        profile = Files.createTempDirectory("runlog-chromium");
        driver = Chromium.start(profile);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (driver != null) {
                driver.quit();
            }
        } finally {
            deleteTree(profile);
        }
    }

    public WebDriver driver() {
        return driver;
    }

    /** Opens {@code base} + {@code hash} (such as {@code "#/models"}); a new document each time. */
    public void open(URI base, String hash) {
        driver.get("about:blank");
        driver.get(base.resolve("/") + hash);
    }

    /**
     * Waits up to 5 s for the condition to hold (be non-null and not false); the UI polls every second.
     * An element gone stale in the meantime counts as not yet.
     */
    public <T> T await(String what, Function<WebDriver, T> condition) {
        // A write draws the page again: an element found just before that is stale, not a failure.
        return new WebDriverWait(driver, WAIT).withMessage(what).ignoring(StaleElementReferenceException.class).until(condition);
    }

    public WebElement awaitElement(String css) {
        return await("an element " + css, d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            return found.isEmpty() ? null : found.get(0);
        });
    }

    public List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    public Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** Saves what the browser shows to target/screenshots/{page}.png. */
    public Path screenshot(String page) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Path file = SCREENSHOTS.resolve(page + ".png");
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        return file;
    }

    /** The same, with the element {@code css} scrolled to the top of the window first. */
    public Path screenshot(String page, String css) throws IOException {
        script("arguments[0].scrollIntoView({block: 'start'})", awaitElement(css));
        return screenshot(page);
    }

    /** The console messages since the last call (Chromium hands each over once). */
    public List<String> console() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::toString).toList();
    }

    /** A data- attribute of the element, parsed as a number (NaN when absent). */
    public static double number(WebElement element, String attribute) {
        String value = element.getAttribute(attribute);
        return value == null || value.isEmpty() ? Double.NaN : Double.parseDouble(value);
    }

    private static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
