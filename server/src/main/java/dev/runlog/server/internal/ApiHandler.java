package dev.runlog.server.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.runlog.registry.PromotionRejectedException;
import dev.runlog.server.internal.mlflow.MlflowApi;
import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.InvalidFilterException;
import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP side of the server: what every request goes through (size bound, token, method) and
 * every response gets (security headers, JSON errors), around {@link JsonApi}'s routes.
 */
public final class ApiHandler implements HttpHandler {
    /** The longest request target (path and query) served; longer ones get 414. */
    static final int MAX_REQUEST_TARGET = 8_192;

    private static final System.Logger LOG = System.getLogger(ApiHandler.class.getName());
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static {
        // Besides JSON's own escapes, '<', '>' and '&' go out as Unicode escapes: a stored "<script>" is
        // then harmless even to a client that wrongly treats the body as HTML.
        MAPPER.getFactory().setCharacterEscapes(new CharacterEscapes() {
            private static final long serialVersionUID = 1L;
            private final int[] escapes = CharacterEscapes.standardAsciiEscapesForJSON();

            {
                escapes['<'] = CharacterEscapes.ESCAPE_STANDARD;
                escapes['>'] = CharacterEscapes.ESCAPE_STANDARD;
                escapes['&'] = CharacterEscapes.ESCAPE_STANDARD;
            }

            @Override
            public int[] getEscapeCodesForAscii() {
                return escapes;
            }

            @Override
            public SerializableString getEscapeSequence(int ch) {
                return null;
            }
        });
    }

    private final JsonApi api;
    private final byte[] token;
    private final UiAssets ui = new UiAssets();
    private final WriteApi writes;
    private final MlflowApi mlflow;

    /**
     * Serves {@code api} and, when {@code writes} is not null, its POSTs and MLflow's REST API; with a
     * non-null {@code token}, only to requests that carry it.
     */
    public ApiHandler(JsonApi api, String token, WriteApi writes) {
        this.api = api;
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.writes = writes;
        this.mlflow = writes == null ? null : new MlflowApi(api.tracker(), api::registry, writes.csrf());
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            Headers headers = exchange.getResponseHeaders();
            // No inline script, no sniffing a JSON or text body into HTML: stored strings are data.
            headers.set("Content-Security-Policy", "default-src 'self'");
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("Referrer-Policy", "no-referrer");
            headers.set("Cache-Control", "no-store");
            try {
                serve(exchange);
            } catch (RuntimeException e) {
                fail(exchange, e);
            }
        } finally {
            exchange.close();
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        String rawPath = exchange.getRequestURI().getRawPath();
        String rawQuery = exchange.getRequestURI().getRawQuery();
        if (rawPath.length() + (rawQuery == null ? 0 : rawQuery.length()) > MAX_REQUEST_TARGET) {
            sendError(exchange, 414, "uri_too_long", "the request path and query exceed " + MAX_REQUEST_TARGET + " characters");
            return;
        }
        if (token == null) {
            // A loopback server without a token answers only requests that name a loopback host:
            // a site rebinding its own name to 127.0.0.1 is same-origin to the browser, and could
            // otherwise read every run through it (DNS rebinding).
            Optional<Csrf.Refusal> wrongHost = Csrf.loopbackHostRefusal(exchange.getRequestHeaders());
            if (wrongHost.isPresent()) {
                sendRefusal(exchange, wrongHost.get());
                return;
            }
        }
        if (UiAssets.serves(rawPath)) {
            // The web UI's files, under the same token rule (and /?token=T to set the cookie).
            ui.serve(exchange, token == null || authorized(exchange.getRequestHeaders()), token == null ? null : this::matches);
            return;
        }
        if (token != null && !authorized(exchange.getRequestHeaders())) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"runlog\"");
            sendError(exchange, 401, "unauthorized",
                    "this server requires its access token, as 'Authorization: Bearer <token>' or a 'token' cookie");
            return;
        }
        if (MlflowApi.serves(rawPath)) {
            // MLflow's clients use PUT, PATCH and DELETE too, and need writes: its own rules apply.
            MlflowApi.serve(mlflow, exchange);
            return;
        }
        String method = exchange.getRequestMethod();
        boolean post = method.equals("POST") && writes != null;
        if (!method.equals("GET") && !method.equals("HEAD") && !post) {
            exchange.getResponseHeaders().set("Allow", writes == null ? "GET, HEAD" : "GET, HEAD, POST");
            sendError(exchange, 405, "method_not_allowed", "method " + method + " is not allowed; "
                    + (writes == null ? "this server is read-only" : "writes are POSTs"));
            return;
        }
        if (!rawPath.startsWith("/api/")) {
            sendError(exchange, 404, "not_found", "no such resource: " + rawPath);
            return;
        }
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.substring("/api/".length()).split("/")) {
            segments.add(decode(raw.replace("+", "%2B")));
        }
        if (post) {
            writes.serve(exchange, segments);
            return;
        }
        if (segments.equals(List.of("session"))) {
            session(exchange);
            return;
        }
        JsonApi.Reply reply = api.route(segments, parseQuery(rawQuery));
        if (reply == null) {
            sendError(exchange, 404, "not_found", "no such resource: " + rawPath);
        } else if (reply.download() != null) {
            sendDownload(exchange, reply.download());
        } else {
            sendJson(exchange, 200, reply.json());
        }
    }

    /** What a page needs to know before it writes; the CSRF secret only to a request naming a host of ours. */
    private void session(HttpExchange exchange) throws IOException {
        Optional<Csrf.Refusal> refusal = writes == null ? Optional.empty()
                : writes.csrf().hostRefusal(exchange.getRequestHeaders());
        if (refusal.isPresent()) {
            sendRefusal(exchange, refusal.get());
            return;
        }
        sendJson(exchange, 200, WriteApi.session(writes, token != null));
    }

    /** 403 naming the check that failed, as {@code "check"}. */
    static void sendRefusal(HttpExchange exchange, Csrf.Refusal refusal) throws IOException {
        Map<String, Object> body = error("forbidden", refusal.message());
        body.put("check", refusal.check());
        sendJson(exchange, 403, body);
    }

    private boolean authorized(Headers request) {
        String authorization = request.getFirst("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                && matches(authorization.substring(7).trim())) {
            return true;
        }
        for (String cookies : request.getOrDefault("Cookie", List.of())) {
            for (String cookie : cookies.split(";")) {
                String c = cookie.trim();
                if (c.startsWith("token=") && matches(c.substring("token=".length()))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Compares in constant time, so response timing tells nothing about the token. */
    private boolean matches(String candidate) {
        return MessageDigest.isEqual(token, candidate.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A raw query string's parameters in order, each name with its values in order; the JSON API
     * and MLflow's API read queries alike.
     *
     * @throws InvalidInputException on bad percent-encoding or bytes that are not UTF-8
     */
    public static Map<String, List<String>> parseQuery(String rawQuery) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return query;
    }

    private static String decode(String raw) {
        try {
            return PercentEncoding.decode(raw, true);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("query parameter '" + raw + "' " + e.getMessage());
        }
    }

    private void fail(HttpExchange exchange, RuntimeException e) throws IOException {
        if (exchange.getResponseCode() != -1) {
            // The headers are out: all that is left is to cut the response short and say why in the log.
            LOG.log(System.Logger.Level.WARNING, "response to " + exchange.getRequestURI() + " cut short", e);
            return;
        }
        if (e instanceof InvalidFilterException f) {
            Map<String, Object> body = error("invalid_filter", f.getMessage());
            body.put("column", f.column());
            sendJson(exchange, 400, body);
        } else if (e instanceof PromotionRejectedException r) {
            Map<String, Object> body = error("promotion_rejected", r.getMessage());
            body.put("failures", r.failures().stream().map(JsonApi::gateResult).toList());
            sendJson(exchange, 409, body);
        } else if (e instanceof InvalidInputException) {
            sendError(exchange, 400, "invalid_input", e.getMessage());
        } else if (e instanceof NotFoundException) {
            sendError(exchange, 404, "not_found", e.getMessage());
        } else if (e instanceof ConflictException) {
            sendError(exchange, 409, "conflict", e.getMessage());
        } else if (e instanceof IntegrityException) {
            sendError(exchange, 409, "integrity", e.getMessage());
        } else if (e instanceof StoreException) {
            // The store's message names its files or database host, which are the server's business.
            LOG.log(System.Logger.Level.WARNING, "request " + exchange.getRequestURI() + " found the store unavailable", e);
            sendError(exchange, 503, "unavailable", MlflowApi.UNAVAILABLE);
        } else {
            // Neither the message nor the trace goes out: they may name files and classes of the host.
            LOG.log(System.Logger.Level.ERROR, "request " + exchange.getRequestURI() + " failed", e);
            sendError(exchange, 500, "internal", "the server failed to answer; its log says why");
        }
    }

    private static Map<String, Object> error(String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        return body;
    }

    static void sendError(HttpExchange exchange, int status, String code, String message) throws IOException {
        sendJson(exchange, status, error(code, message));
    }

    /** Sends {@code body} as JSON (with {@code <>&} escaped) with {@code status}; nothing for HEAD. */
    public static void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
        sendJson(exchange, status, json(body));
    }

    /** {@code body} as the JSON every reply of this server sends: {@code <}, {@code >} and {@code &} escaped. */
    public static byte[] json(Object body) {
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends JSON made by {@link #json}, for a caller that must do something between the two (time it). */
    public static void sendJson(HttpExchange exchange, int status, byte[] bytes) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            exchange.getResponseBody().write(bytes);
        }
    }

    private static void sendDownload(HttpExchange exchange, JsonApi.Download download) throws IOException {
        if (exchange.getRequestMethod().equals("HEAD")) {
            // The file exists (it opened) and HEAD sends no body: it is not read, so a HEAD of a large
            // file costs no read of it (nor its check, which only a read makes).
            download.content().close();
            downloadHeaders(exchange, download);
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        // Read and checked whole before the reply starts (see CheckedArtifact).
        try (CheckedArtifact checked = CheckedArtifact.read(download.content()); InputStream in = checked.open()) {
            downloadHeaders(exchange, download);
            exchange.sendResponseHeaders(200, checked.size() == 0 ? -1 : checked.size());
            try (OutputStream out = exchange.getResponseBody()) {
                in.transferTo(out);
            }
        }
    }

    /** Set only once the reply is a download: an error reply after them would be saved as the file. */
    private static void downloadHeaders(HttpExchange exchange, JsonApi.Download download) {
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Type", download.contentType());
        if (download.attachment()) {
            headers.set("Content-Disposition", contentDisposition(download.fileName()));
        }
    }

    /** An ASCII fallback name without quotes or controls, and the exact name RFC 5987-encoded. */
    private static String contentDisposition(String fileName) {
        StringBuilder ascii = new StringBuilder();
        StringBuilder encoded = new StringBuilder();
        for (char c : fileName.toCharArray()) {
            ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '_');
        }
        for (byte b : fileName.getBytes(StandardCharsets.UTF_8)) {
            int u = b & 0xff;
            if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || "-._~".indexOf(u) >= 0) {
                encoded.append((char) u);
            } else {
                encoded.append('%').append(String.format("%02X", u));
            }
        }
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }
}
