package dev.runlog.server.internal;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The web UI's static files: {@code GET /} is the page, {@code /ui/...} its modules and style, and
 * {@code /ui/vendor/uplot/...} the chart library, copied from its webjar into this jar at build
 * time (under the webjar's own path, with its licence). Every name served is listed here:
 * no part of a request path is ever joined to a resource path, so there is nothing to traverse.
 *
 * <p>The UI is under the same token rule as the API. Opening {@code /?token=T} with the right token
 * sets it as an {@code HttpOnly}, {@code SameSite=Strict} cookie and redirects (303) to {@code /}, so
 * the token leaves the address bar and the history; a wrong one gets 401.
 */
public final class UiAssets {
    /** No inline script or style anywhere; uPlot's styles go through the CSSOM, which this allows. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none';"
            + " form-action 'self'";

    private static final String OWN = "dev/runlog/server/ui/";
    private static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";
    private static final List<String> OWN_FILES = List.of("app.js", "app.css",
            "lib/dom.js", "lib/api.js", "lib/chart.js", "lib/format.js", "lib/live.js", "lib/writes.js",
            "pages/experiments.js", "pages/runs.js", "pages/run.js", "pages/artifacts.js", "pages/charts.js",
            "pages/compare.js", "pages/models.js");
    /** Request path to class path resource: the whole of what this class serves. */
    private static final Map<String, String> FILES = files();
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8");

    private final Map<String, Asset> cache = new ConcurrentHashMap<>();

    private record Asset(byte[] bytes, String type, String etag) {
    }

    private static Map<String, String> files() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("/", OWN + "index.html");
        for (String file : OWN_FILES) {
            files.put("/ui/" + file, OWN + file);
        }
        files.put("/ui/vendor/uplot/uPlot.esm.js", UPLOT + "uPlot.esm.js");
        files.put("/ui/vendor/uplot/uPlot.min.css", UPLOT + "uPlot.min.css");
        return Map.copyOf(files);
    }

    /** Whether {@code rawPath} is one of the UI's files (exactly: {@code /}, {@code /ui/app.js}, ...). */
    public static boolean serves(String rawPath) {
        return FILES.containsKey(rawPath);
    }

    /**
     * Answers a request for one of the UI's files ({@link #serves}). {@code authorized} says whether it carried the token
     * (always true when none is required); {@code tokenMatches} checks a token given in the query,
     * null when none is required.
     */
    public void serve(HttpExchange exchange, boolean authorized, Predicate<String> tokenMatches) throws IOException {
        String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            // Without the token a request learns nothing of the server, not even which methods a path takes.
            if (!authorized) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"runlog\"");
                sendText(exchange, 401, "this server requires its access token");
                return;
            }
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            sendText(exchange, 405, "method " + method + " is not allowed here");
            return;
        }
        String path = exchange.getRequestURI().getRawPath();
        String given = path.equals("/") ? queryToken(exchange.getRequestURI().getRawQuery()) : null;
        if (given != null) {
            if (tokenMatches != null && !tokenMatches.test(given)) {
                sendText(exchange, 401, "wrong access token");
                return;
            }
            if (tokenMatches != null) {
                exchange.getResponseHeaders().set("Set-Cookie", "token=" + given + "; HttpOnly; SameSite=Strict; Path=/");
            }
            // Off the address bar, out of the history and any Referer.
            exchange.getResponseHeaders().set("Location", "/");
            exchange.sendResponseHeaders(303, -1);
            return;
        }
        if (!authorized) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"runlog\"");
            sendText(exchange, 401, "this server requires its access token: open /?token=<token> once"
                    + " (the token is printed when the server starts)");
            return;
        }
        String resource = FILES.get(path);
        Asset asset = cache.computeIfAbsent(resource, UiAssets::load);
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.set("X-Frame-Options", "DENY");
        // The files change only with the jar: the browser keeps them and asks whether they changed,
        // a 304 without a body when not. Private: a token-protected UI must not sit in shared caches.
        headers.set("Cache-Control", "private, no-cache");
        headers.set("ETag", asset.etag());
        String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
        if (asset.etag().equals(ifNoneMatch)) {
            exchange.sendResponseHeaders(304, -1);
            return;
        }
        headers.set("Content-Type", asset.type());
        boolean head = method.equals("HEAD");
        exchange.sendResponseHeaders(200, head ? -1 : asset.bytes().length);
        if (!head) {
            exchange.getResponseBody().write(asset.bytes());
        }
    }

    private static String queryToken(String rawQuery) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.startsWith("token=")) {
                try {
                    return URLDecoder.decode(pair.substring("token=".length()), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return ""; // bad percent-encoding: a token that matches nothing
                }
            }
        }
        return null;
    }

    private static Asset load(String resource) {
        // Through the class, not its loader: on the module path a loader finds nothing in a package
        // of a named module that is not opened, while a class reads its own module's files.
        try (InputStream in = UiAssets.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                // Every listed file ships in the jar: a missing one is a packaging bug, not a 404.
                throw new IllegalStateException("the web UI's file " + resource + " is missing from the class path");
            }
            byte[] bytes = in.readAllBytes();
            String etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16) + "\"";
            String type = TYPES.get(resource.substring(resource.lastIndexOf('.') + 1));
            return new Asset(bytes, type, etag);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static void sendText(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            exchange.getResponseBody().write(bytes);
        }
    }
}
