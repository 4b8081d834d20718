package dev.runlog.server.internal.mlflow;

import com.sun.net.httpserver.HttpExchange;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.server.internal.ApiHandler;
import dev.runlog.server.internal.Csrf;
import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.ParamConflictException;
import dev.runlog.tracking.RunNotActiveException;
import dev.runlog.tracking.RunlogException;
import dev.runlog.tracking.StoreException;
import dev.runlog.tracking.Tracker;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * MLflow's REST API ({@code /api/2.0/mlflow/...}, its {@code /ajax-api/2.0/mlflow/...} alias, the
 * {@code preview} prefixes of both that older clients call, and the artifact proxy {@code /api/2.0/mlflow-artifacts/artifacts/...}) over the server's tracker
 * and registry, so that MLflow's own clients log into a Runlog store unchanged.
 *
 * <p>Served only when the server allows writes (else every call gets 403 {@code PERMISSION_DENIED}
 * saying so): MLflow's clients write as they go. The access token, when one is required, is the
 * one MLflow's clients send from {@code MLFLOW_TRACKING_TOKEN} ({@code Authorization: Bearer}).
 * MLflow's clients cannot know the web UI's CSRF secret, so instead of it a request must not come
 * from a browser page of another site: the {@code Host}, {@code Origin} and
 * {@code Sec-Fetch-Site} checks of {@link Csrf#originRefusal}, and a POST, PATCH or DELETE must be
 * sent as {@code application/json}, which a cross-site form cannot send.
 *
 * <p>Every JSON reply carries {@code Server-Timing: app;dur=<ms>}: the server's own time, from the
 * handler taking the request (its headers parsed, its body still unread) to the serialized reply
 * handed to the JDK's server, so that a client can tell it from the network's; then
 * {@code cpu;dur=<ms>}, the CPU time of that span, and {@code read;dur=<ms>}, the part of it spent
 * reading the body. Not counted: the JDK's parsing of
 * the request line and headers before, and its writing of the reply to the socket after.
 */
public final class MlflowApi {
    private static final System.Logger LOG = System.getLogger(MlflowApi.class.getName());
    /** What a client is told when the store fails; the server's log has the store's own message. */
    public static final String UNAVAILABLE = "the store could not answer now; try again later (the server's log says why)";
    /**
     * Where MLflow's clients call. The {@code preview} prefixes are older clients' (MLflow 1.x's
     * Java client sent everything under {@code api/2.0/preview/mlflow}; 2.x clients do not), served
     * as the plain ones.
     */
    private static final Set<String> PREFIXES = Set.of("/api/2.0/mlflow/", "/ajax-api/2.0/mlflow/",
            "/api/2.0/preview/mlflow/", "/ajax-api/2.0/preview/mlflow/",
            "/api/2.0/mlflow-artifacts/", "/ajax-api/2.0/mlflow-artifacts/");
    private static final String PREVIEW = "preview/";
    private static final Set<String> WRITE_METHODS = Set.of("POST", "PATCH", "DELETE");
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final byte[] EMPTY_REPLY = {'{', '}'};

    /** A route: the methods MLflow serves it with and what it answers. */
    record Route(Set<String> methods, Function<Request, Object> answer) {
    }

    private final Csrf csrf;
    private final Map<String, Route> routes = new HashMap<>();
    private final MlflowArtifacts artifacts;

    /** Serves MLflow's API over {@code tracker} and the registry {@code registry} opens (on first use), guarded by {@code csrf}'s origin checks. */
    public MlflowApi(Tracker tracker, Supplier<ModelRegistry> registry, Csrf csrf) {
        this.csrf = csrf;
        new MlflowTracking(tracker).addRoutes(routes);
        new MlflowRegistry(tracker, registry).addRoutes(routes);
        this.artifacts = new MlflowArtifacts(tracker);
    }

    /** Whether {@code rawPath} is one of MLflow's. */
    public static boolean serves(String rawPath) {
        for (String prefix : PREFIXES) {
            if (rawPath.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Serves an MLflow request with {@code api}, or refuses it when the server serves none (null: writes are not allowed). */
    public static void serve(MlflowApi api, HttpExchange exchange) throws IOException {
        // Server-Timing counts from here: the JDK's server has parsed the request line and headers,
        // the body is still to be read.
        long start = System.nanoTime();
        long cpu = THREADS.getCurrentThreadCpuTime();
        try {
            if (api == null) {
                throw new MlflowException("PERMISSION_DENIED", 403, "this Runlog server is read-only; MLflow's API is"
                        + " served only with writes allowed (ServerOptions.allowWrites(true), or runlog ui --allow-writes)");
            }
            api.serve(exchange, start, cpu);
        } catch (RuntimeException e) {
            fail(exchange, e, start, cpu);
        }
    }

    private void serve(HttpExchange exchange, long start, long cpu) throws IOException {
        String method = exchange.getRequestMethod();
        Optional<Csrf.Refusal> refusal = csrf.originRefusal(exchange.getRequestHeaders());
        if (refusal.isEmpty() && WRITE_METHODS.contains(method)) {
            refusal = Csrf.contentTypeRefusal(exchange.getRequestHeaders());
        }
        if (refusal.isPresent()) {
            throw new MlflowException("PERMISSION_DENIED", 403, refusal.get().message() + " (check: " + refusal.get().check() + ")");
        }
        String rawPath = exchange.getRequestURI().getRawPath();
        String path = rawPath.substring(rawPath.indexOf("/2.0/") + "/2.0/".length());
        if (path.startsWith(PREVIEW)) {
            path = path.substring(PREVIEW.length());
        }
        if (path.startsWith("mlflow-artifacts/")) {
            artifacts.serve(exchange, path.substring("mlflow-artifacts/".length()));
            return;
        }
        String name = path.substring("mlflow/".length());
        // HEAD is a GET without the body, as MLflow's server (Flask) answers it.
        String asked = method.equals("HEAD") ? "GET" : method;
        // A path MLflow serves with several methods, each doing another thing (registered-models/alias), has a route per method.
        Route route = routes.getOrDefault(asked + " " + name, routes.get(name));
        if (route == null || !route.methods().contains(asked)) {
            List<String> allowed = routes.entrySet().stream()
                    .filter(e -> e.getKey().equals(name) || e.getKey().endsWith(" " + name))
                    .flatMap(e -> e.getValue().methods().stream()).sorted().toList();
            if (allowed.isEmpty()) {
                throw MlflowException.noEndpoint("no MLflow endpoint " + rawPath + " in Runlog's server; see RunlogServer's list");
            }
            exchange.getResponseHeaders().set("Allow", String.join(", ", allowed));
            throw new MlflowException("ENDPOINT_NOT_FOUND", 405, "method " + method + " is not allowed for " + rawPath
                    + "; use " + String.join(" or ", allowed));
        }
        long reading = System.nanoTime();
        byte[] body = readBody(exchange);
        long read = System.nanoTime() - reading;
        Request request = Request.of(body, exchange.getRequestURI().getRawQuery());
        if (!isLarge(name, request)) {
            send(exchange, 200, route.answer().apply(request), start, cpu, read);
            return;
        }
        // A reply of up to 50,000 runs is built whole (tens of megabytes): a dozen at once ran the heap
        // out and stalled every client for minutes. So few are built at a time; the rest wait their turn.
        try {
            LARGE_REPLIES.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MlflowException("TEMPORARILY_UNAVAILABLE", 503, "the server is stopping");
        }
        try {
            send(exchange, 200, route.answer().apply(request), start, cpu, read);
        } finally {
            LARGE_REPLIES.release();
        }
    }

    /** How many replies of more than {@value #LARGE_REPLY} records are built and sent at once. */
    private static final java.util.concurrent.Semaphore LARGE_REPLIES = new java.util.concurrent.Semaphore(2, true);
    private static final long LARGE_REPLY = 1_000;

    /** A search asking for more than {@value #LARGE_REPLY} records; its own checks judge the number later. */
    private static boolean isLarge(String route, Request request) {
        if (!route.endsWith("/search")) {
            return false;
        }
        try {
            return request.integer("max_results", 0) > LARGE_REPLY;
        } catch (RuntimeException notANumber) {
            return false; // the route refuses it, naming the field
        }
    }

    private static byte[] readBody(HttpExchange exchange) throws IOException {
        long length = contentLength(exchange);
        if (length > Request.MAX_BODY) {
            // Refused as announced, before the body is touched: closing it reads what is left, which
            // a client announcing gigabytes never sends, and the reply would wait for the client's timeout.
            throw new MlflowException("RESOURCE_EXHAUSTED", 413, "the request body of " + length
                    + " bytes exceeds MLflow's limit of " + Request.MAX_BODY + " bytes");
        }
        try (InputStream in = exchange.getRequestBody()) {
            if (length >= 0) {
                // One array of the announced size, rather than readNBytes' chunks copied together.
                byte[] bytes = new byte[(int) length];
                int read = in.readNBytes(bytes, 0, bytes.length);
                return read == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, read);
            }
            byte[] bytes = in.readNBytes(Request.MAX_BODY + 1);
            if (bytes.length > Request.MAX_BODY) {
                throw new MlflowException("RESOURCE_EXHAUSTED", 413, "the request body exceeds MLflow's limit of "
                        + Request.MAX_BODY + " bytes");
            }
            return bytes;
        }
    }

    /**
     * Sends {@code reply} as JSON with {@code Server-Timing}: {@code app}, from {@code start} to the
     * serialized reply handed to the JDK's server; {@code cpu}, the CPU time this thread spent in
     * that span from {@code cpuStart}, which a loaded machine does not inflate as it does
     * {@code app}; and, when the body was read ({@code readNanos >= 0}), {@code read}: the part of
     * {@code app} spent reading it, waiting for the client and the network as much as working.
     */
    private static void send(HttpExchange exchange, int status, Object reply, long start, long cpuStart, long readNanos)
            throws IOException {
        // Most write replies are MLflow's empty message: no serializer for those.
        byte[] json = reply instanceof Map<?, ?> map && map.isEmpty() ? EMPTY_REPLY.clone() : ApiHandler.json(reply);
        String timing = "app;dur=" + millis(System.nanoTime() - start) + ", cpu;dur="
                + millis(THREADS.getCurrentThreadCpuTime() - cpuStart) + (readNanos < 0 ? "" : ", read;dur=" + millis(readNanos));
        exchange.getResponseHeaders().set("Server-Timing", timing);
        ApiHandler.sendJson(exchange, status, json);
    }

    /** Nanoseconds as milliseconds with three decimals, by hand: String.format costs a Formatter per call. */
    static String millis(long nanos) {
        long micros = Math.max(0, nanos / 1_000);
        long fraction = micros % 1_000;
        return micros / 1_000 + (fraction < 10 ? ".00" : fraction < 100 ? ".0" : ".") + fraction;
    }

    /** The request's Content-Length, or -1 when it has none or a malformed one. */
    private static long contentLength(HttpExchange exchange) {
        String value = exchange.getRequestHeaders().getFirst("Content-Length");
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Answers a failure with MLflow's error JSON and the HTTP status MLflow sends with its code. */
    private static void fail(HttpExchange exchange, RuntimeException e, long start, long cpu) throws IOException {
        if (exchange.getResponseCode() != -1) {
            LOG.log(System.Logger.Level.WARNING, "response to " + exchange.getRequestURI() + " cut short", e);
            return;
        }
        MlflowException error = translate(e);
        if (error.status() == 500) {
            // Neither the message nor the trace goes out: they may name files and classes of the host.
            LOG.log(System.Logger.Level.ERROR, "MLflow request " + exchange.getRequestURI() + " failed", e);
        } else if (error.status() == 503) {
            LOG.log(System.Logger.Level.WARNING, "MLflow request " + exchange.getRequestURI() + " found the store unavailable", e);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_code", error.code());
        body.put("message", error.getMessage());
        if (error.status() == 413) {
            exchange.getResponseHeaders().set("Connection", "close");
        }
        send(exchange, error.status(), body, start, cpu, -1);
        if (error.status() == 413) {
            // Out now: closing the exchange first reads what is left of the request body, which a
            // client announcing gigabytes never sends, and the reply would wait for it.
            exchange.getResponseBody().flush();
        }
    }

    /** Runlog's exceptions as MLflow's error codes. */
    static MlflowException translate(RuntimeException e) {
        if (e instanceof MlflowException m) {
            return m;
        }
        if (e instanceof ParamConflictException) {
            return MlflowException.invalid(e.getMessage() + " (params are immutable, in Runlog as in MLflow)");
        }
        if (e instanceof RunNotActiveException) {
            // A deleted run takes nothing, in MLflow too; an ended one still takes tags, which MLflow's clients set.
            return MlflowException.invalid(e.getMessage() + (e.getMessage().endsWith("it is deleted")
                    ? " (restore it first, as in MLflow)"
                    : " (Runlog is stricter than MLflow here: a run that has ended takes no more metrics, params or"
                            + " artifacts, only tags)"));
        }
        if (e instanceof InvalidInputException) {
            return MlflowException.invalid(e.getMessage());
        }
        if (e instanceof NotFoundException) {
            return MlflowException.notFound(e.getMessage());
        }
        if (e instanceof ConflictException) {
            return MlflowException.invalid(e.getMessage());
        }
        if (e instanceof IntegrityException) {
            // Stored data that fails its check (a changed payload, a descriptor not Runlog's): not
            // worth a retry, which MLflow's clients make on a 5xx.
            return MlflowException.invalid(e.getMessage());
        }
        if (e instanceof StoreException) {
            // The store's message names its files or database host, which are the server's business.
            return new MlflowException("TEMPORARILY_UNAVAILABLE", 503, UNAVAILABLE);
        }
        if (e instanceof RunlogException) {
            return new MlflowException("INVALID_STATE", 500, e.getMessage());
        }
        return new MlflowException("INTERNAL_ERROR", 500, "the server failed to answer; its log says why");
    }
}
