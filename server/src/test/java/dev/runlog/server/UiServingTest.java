package dev.runlog.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.Tracker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The web UI's files over HTTP: what is served, with which headers, and the token's way into a cookie. */
class UiServingTest {
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:;"
            + " object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    private final HttpClient client = HttpClient.newHttpClient();
    private final Tracker tracker = Tracker.inMemory();
    private final RunlogServer server = RunlogServer.start(tracker, ServerOptions.defaults());

    @AfterEach
    void stop() {
        server.close();
        tracker.close();
    }

    private HttpResponse<String> get(RunlogServer at, String rawPath, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + at.port() + rawPath));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePageItsModulesAndUplotAreServedWithTheirTypesAStrictPolicyAndRevalidation() throws Exception {
        HttpResponse<String> page = get(server, "/");
        HttpResponse<String> again = get(server, "/", "If-None-Match", page.headers().firstValue("ETag").orElseThrow());
        HttpResponse<String> app = get(server, "/ui/app.js");
        HttpResponse<String> uplot = get(server, "/ui/vendor/uplot/uPlot.esm.js");
        HttpResponse<String> uplotCss = get(server, "/ui/vendor/uplot/uPlot.min.css");

        assertEquals(200, page.statusCode());
        assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(CSP, page.headers().firstValue("Content-Security-Policy").orElseThrow());
        assertEquals("private, no-cache", page.headers().firstValue("Cache-Control").orElseThrow());
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElseThrow());
        assertTrue(page.body().contains("<script type=\"module\" src=\"/ui/app.js\"></script>"));
        assertEquals(304, again.statusCode(), "unchanged: no body again");
        assertEquals("text/javascript; charset=utf-8", app.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(200, uplot.statusCode());
        assertTrue(uplot.body().contains("export { uPlot as default }"), "the ES module build from the webjar");
        assertEquals("text/css; charset=utf-8", uplotCss.headers().firstValue("Content-Type").orElseThrow());
    }

    @Test
    void onlyTheListedFilesAreServedSoNoPathCanLeaveThem() throws Exception {
        for (String path : List.of("/index.html", "/ui/", "/ui/../pom.xml", "/ui/%2e%2e/module-info.class", "/ui/lib/../app.js",
                "/ui/vendor/uplot/uPlot.cjs.js", "/ui/vendor/uplot/../../../../META-INF/MANIFEST.MF", "/ui/app.js/", "/UI/app.js")) {
            HttpResponse<String> response = get(server, path);
            assertEquals(404, response.statusCode(), path);
            assertEquals("application/json; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow(), path);
        }
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(server.uri())
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
    }

    @Test
    void everyFileOfTheUiIsServedAndNoneHasInlineScriptStyleOrHandlers() throws Exception {
        Path root = Path.of(getClass().getClassLoader().getResource("dev/runlog/server/ui/index.html").toURI()).getParent();
        Pattern inline = Pattern.compile("<script(?![^>]*\\bsrc=)|<style|\\son[a-z]+\\s*=|style=\"|javascript:", Pattern.CASE_INSENSITIVE);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertTrue(files.size() > 10, files.toString());
        for (Path file : files) {
            String relative = root.relativize(file).toString().replace('\\', '/');
            String text = Files.readString(file);
            assertEquals(200, get(server, relative.equals("index.html") ? "/" : "/ui/" + relative).statusCode(), relative);
            assertFalse(text.contains("innerHTML") || text.contains("outerHTML") || text.contains("insertAdjacentHTML")
                    || text.contains("document.write"), relative + " parses no HTML from strings");
            if (relative.endsWith(".html")) {
                assertFalse(inline.matcher(text).find(), relative + " has inline script, style or a handler");
            }
        }
    }

    @Test
    void aTokenInTheAddressBecomesAnHttpOnlyCookieAndLeavesTheAddressBar() throws Exception {
        String token = "0123456789abcdef-given";
        try (RunlogServer guarded = RunlogServer.start(tracker, ServerOptions.defaults().token(token))) {
            HttpResponse<String> none = get(guarded, "/");
            HttpResponse<String> wrong = get(guarded, "/?token=x" + token);
            HttpResponse<String> right = get(guarded, "/?token=" + token);
            HttpResponse<String> withCookie = get(guarded, "/", "Cookie", "token=" + token);
            HttpResponse<String> module = get(guarded, "/ui/app.js");

            assertEquals(401, none.statusCode());
            assertTrue(none.body().contains("/?token="), "says how to get in: " + none.body());
            assertEquals(401, wrong.statusCode());
            assertFalse(wrong.headers().firstValue("Set-Cookie").isPresent());
            assertEquals(303, right.statusCode());
            assertEquals("/", right.headers().firstValue("Location").orElseThrow());
            assertEquals("token=" + token + "; HttpOnly; SameSite=Strict; Path=/",
                    right.headers().firstValue("Set-Cookie").orElseThrow());
            assertEquals(200, withCookie.statusCode());
            assertEquals(401, module.statusCode(), "the UI's modules need the token too");
        }
    }

}
