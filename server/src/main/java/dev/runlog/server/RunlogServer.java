package dev.runlog.server;

import com.sun.net.httpserver.HttpServer;
import dev.runlog.server.internal.ApiHandler;
import dev.runlog.server.internal.Csrf;
import dev.runlog.server.internal.JsonApi;
import dev.runlog.server.internal.WriteApi;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.RunlogException;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.InputRules;
import dev.runlog.tracking.spi.TrackerAccess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Serves a JSON API over a {@link Tracker} and its {@link dev.runlog.registry.ModelRegistry}, embedded in
 * the application or test that owns the tracker:
 *
 * <pre>{@code
 * try (RunlogServer server = RunlogServer.start(tracker, ServerOptions.defaults().port(5000))) {
 *     System.out.println("Runs at " + server.uri() + "api/experiments");
 *     ...
 * }
 * }</pre>
 *
 * <p><b>Web UI.</b> {@code GET /} is a web UI over the same JSON API (plain ES modules and uPlot
 * from this jar: nothing is fetched from the internet): experiments, runs tables, run pages, metric
 * charts, compare and the model registry, each page's state in the URL after {@code #}. Its files
 * get {@code Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self';
 * img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none';
 * form-action 'self'}. Where a token is required, opening {@code /?token=T} once sets it as an
 * {@code HttpOnly, SameSite=Strict} cookie and redirects to {@code /}.
 *
 * <p><b>HTTP server.</b> The JDK's {@code com.sun.net.httpserver} (module {@code jdk.httpserver}):
 * it adds no dependency to the applications that embed Runlog, and a JSON API for one user's
 * runs needs nothing Jetty 12 would add (HTTP/2, servlets, TLS termination belong to a proxy).
 *
 * <p><b>Safety.</b> It binds {@code 127.0.0.1} unless told otherwise. Bound to any address that is
 * not a loopback address, it requires an access token on every request ({@link #token()}: the one
 * given in the options, else a generated one), sent as {@code Authorization: Bearer <token>} or a
 * {@code token} cookie; without it, 401. It is read-only unless {@link ServerOptions#allowWrites(boolean)}:
 * GET and HEAD only, any other method gets 405. Every response has {@code Content-Security-Policy: default-src 'self'} and
 * {@code X-Content-Type-Options: nosniff}; JSON is {@code application/json; charset=utf-8}, written
 * by Jackson, so stored strings (a run named {@code <script>}) are JSON strings. A request target
 * longer than 8,192 characters gets 414; pages hold at most 1,000 runs, charts 10,000 points.
 *
 * <p><b>API.</b> Times are epoch milliseconds. Errors are JSON {@code {"error", "message"}}: 400
 * for bad input ({@code "invalid_filter"} adds the 1-based {@code "column"} of a filter's syntax
 * error), 401, 404 for unknown runs, models and routes, 405, 409, 414, 503 for a store that may
 * answer later, 500 for anything else (no stack trace; the server logs it through
 * {@code System.Logger}).
 * <ul>
 * <li>{@code GET /api/experiments?view=active|deleted|all}: {@code experiments}, each with
 *     {@code id, name, lifecycle_stage, creation_time, run_count} (runs not deleted),
 *     {@code deleted_run_count},
 *     {@code last_activity} (latest of the experiment's update and its runs' starts and ends) and
 *     {@code tags}.</li>
 * <li>{@code GET /api/runs?experiment=NAME_OR_ID&filter=F&order_by=O&max_results=N&page_token=T&view=V}:
 *     {@code runs} (each {@code id, experiment_id, name, status, start_time, end_time,
 *     lifecycle_stage, artifact_uri, params, metrics} (latest: {@code value, step, timestamp}),
 *     {@code tags}) and {@code next_page_token} (null on the last page). {@code filter} and
 *     {@code order_by} take {@link dev.runlog.tracking.RunQuery}'s grammar; repeat
 *     {@code order_by} for several clauses; {@code max_results} is 100 by default, at most 1,000.</li>
 * <li>{@code GET /api/runs/{id}}: the run as above, with {@code inputs} (each {@code name, digest,
 *     source, context, schema, row_count, columns} (column profiles with histograms)) and
 *     {@code models} (each logged model's descriptor: {@code uri, artifact_path, flavor, ...,
 *     signature}).</li>
 * <li>{@code GET /api/runs/{id}/metrics/{key}?x=step|time&min=&max=&points=N}: the points whose
 *     x (step, or timestamp) lies in [min, max], as columns {@code step, timestamp, value}, plus
 *     {@code total_points, points_in_range, downsampled}. More than N points (1,000 by default, at
 *     most 10,000) are reduced to the lowest and highest point of each of N/2 equal x buckets, so
 *     spikes survive; zooming asks again with a narrower [min, max].</li>
 * <li>{@code GET /api/runs/{id}/artifacts?path=P}: {@code path, entries} (each {@code path, is_dir,
 *     size, sha256}) of a directory ({@code ""} for the root).</li>
 * <li>{@code GET /api/runs/{id}/artifacts/file?path=P}: the file. Text, JSON, CSV, PNG, JPEG and GIF
 *     get their type; everything else, SVG and HTML included, is {@code application/octet-stream}
 *     with {@code Content-Disposition: attachment}. Paths leaving the run's artifacts get 400.</li>
 * <li>{@code GET /api/models}: {@code models}, each {@code name, description, creation_time,
 *     last_update_time, tags, aliases}.</li>
 * <li>{@code GET /api/models/{name}}: the model as above with {@code versions} (newest first, each
 *     {@code version, stage, aliases, source, run_id, status, description, user_id, creation_time,
 *     last_update_time, tags, model_digest}).</li>
 * <li>{@code GET /api/models/{name}/history}: {@code events}, the audit trail (each {@code sequence,
 *     model, version, action, alias, from, to, time, user, comment, gates}; {@code gates} lists, for a
 *     promotion, every gate it passed, each {@code gate, passed, actual, required}).</li>
 * <li>{@code GET /api/session}: {@code writes} (whether POSTs are served), {@code csrf_token} (the
 *     secret POSTs carry; null unless writes are allowed) and {@code token_required}.</li>
 * </ul>
 *
 * <p><b>Writes.</b> Only with writes allowed, else 405. A POST must carry header
 * {@code X-Runlog-CSRF} equal to the session's {@code csrf_token} (a random secret of 192 bits per
 * server), be sent as {@code Content-Type: application/json}, and, if it has an {@code Origin}, come
 * from the server's own origin ({@code http://} and the request's {@code Host}); a
 * {@code Sec-Fetch-Site} header must be {@code same-origin} or {@code none}; without an access token
 * the {@code Host} must be a loopback name ({@code localhost}, {@code 127.x.x.x}, {@code [::1]}),
 * which {@code GET /api/session} checks too, against DNS rebinding. A failed check gets 403 with
 * {@code "check"} naming it. The body is a JSON object of at most 64 KiB (else 413) with exactly the
 * fields listed, of the types listed (else 400 naming the field). The reply is the changed resource
 * as its GET shows it. No CORS header is ever sent.
 * <ul>
 * <li>{@code POST /api/runs/{id}/tags} {@code {"key", "value"}}, {@code /api/runs/{id}/tags/delete}
 *     {@code {"key"}}, {@code /api/runs/{id}/note} {@code {"text"}} (MLflow's tag
 *     {@code mlflow.note.content}): the run.</li>
 * <li>{@code POST /api/models/{name}/versions/{v}/stage} {@code {"stage": "Staging|Production|Archived|None",
 *     "archive_existing"?: bool, "comment"?: string, "gates"?: [string], "beats_current"?: string}}:
 *     without gates, a transition; with gates ({@link dev.runlog.registry.Gates#parse}, and
 *     {@code Gates.beatsCurrent(beats_current)}) a promotion through them, which always archives the
 *     previous holders. The audit trail records the comment and the user {@code "<os user> (web)"}.
 *     A promotion a gate rejects gets 409 {@code "promotion_rejected"} with {@code failures}
 *     (each {@code gate, passed, actual, required}). Reply: the model.</li>
 * <li>{@code POST /api/models/{name}/aliases} {@code {"alias", "version"}},
 *     {@code /api/models/{name}/aliases/delete} {@code {"alias"}}: the model.</li>
 * </ul>
 *
 * <p><b>MLflow's REST API.</b> With writes allowed the server also speaks MLflow's REST API, so
 * MLflow's own clients log into the tracker's store unchanged ({@code MLFLOW_TRACKING_URI=http://127.0.0.1:PORT};
 * with a token, {@code MLFLOW_TRACKING_TOKEN} too): under {@code /api/2.0/mlflow/} and
 * {@code /ajax-api/2.0/mlflow/} experiments ({@code create, get, get-by-name, search, update,
 * delete, restore, set-experiment-tag}), runs ({@code create, get, update, delete, restore, search,
 * log-metric, log-parameter, set-tag, delete-tag, log-batch, log-inputs}), {@code metrics/get-history},
 * {@code artifacts/list}, registered models ({@code create, get, rename, update, delete, search,
 * get-latest-versions, set-tag, delete-tag, alias} (POST sets, DELETE deletes, GET reads)) and model
 * versions ({@code create, get, update, delete, search, transition-stage, get-download-uri,
 * set-tag, delete-tag}); and the artifact proxy {@code /api/2.0/mlflow-artifacts/artifacts/<experiment>/<run>/artifacts/<path>}
 * (PUT uploads, GET downloads, {@code GET artifacts?path=} lists), which every run's
 * {@code artifact_uri} ({@code mlflow-artifacts:/<experiment>/<run>/artifacts}) points MLflow's
 * clients to. Replies have the JSON shapes of MLflow's protobuf messages; errors are MLflow's
 * {@code {"error_code", "message"}} with its HTTP statuses ({@code RESOURCE_DOES_NOT_EXIST} 404,
 * {@code INVALID_PARAMETER_VALUE} and {@code RESOURCE_ALREADY_EXISTS} 400, {@code PERMISSION_DENIED}
 * 403, {@code ENDPOINT_NOT_FOUND} 404). Its clients cannot send the CSRF secret; instead a request
 * must pass the {@code Host}, {@code Origin} and {@code Sec-Fetch-Site} checks above and a POST,
 * PATCH or DELETE must be {@code application/json}. Without writes allowed every MLflow call gets
 * 403 {@code PERMISSION_DENIED}. Registry changes go through the registry and its audit trail (as
 * {@code "<os user> (mlflow api)"}).
 */
public final class RunlogServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RunlogServer.class.getName());
    /*
     * The JDK's server reads a request's headers on a worker thread, so each connection that never
     * finishes its request holds one: more workers make that take more connections, and the
     * request time limit below frees them.
     */
    private static final int THREADS = 16;
    private static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";
    /** Seconds a request may take, from its first byte to the reply's headers (the JDK closes it then). */
    private static final String MAX_REQUEST_TIME_PROPERTY = "sun.net.httpserver.maxReqTime";
    static final String MAX_REQUEST_SECONDS = "120";

    private final HttpServer http;
    private final ExecutorService executor;
    private final String token;
    private final URI uri;
    /** What the tracker closes this server through; emptied when the server closes first, so it is not kept. */
    private final AtomicReference<RunlogServer> registration;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RunlogServer(HttpServer http, ExecutorService executor, String token, URI uri,
                         AtomicReference<RunlogServer> registration) {
        this.http = http;
        this.executor = executor;
        this.token = token;
        this.uri = uri;
        this.registration = registration;
    }

    /**
     * Starts serving {@code tracker} (which the caller keeps owning and closes after the server)
     * as {@code options} say, and returns once the port is listening. A server whose tracker is
     * closed first stops with it: it could only answer errors.
     *
     * <p>The JDK's HTTP server reads two JVM-wide system properties when its first server starts;
     * unless set already, this sets {@code sun.net.httpserver.nodelay=true} (without it each reply
     * waits some 40 ms for the client's delayed acknowledgement) and
     * {@code sun.net.httpserver.maxReqTime=120} (seconds a request may take, so that half-sent
     * requests cannot hold every worker). Other {@code HttpServer}s of the application see them too.
     *
     * @throws InvalidInputException if the host does not resolve
     * @throws RunlogException       if the tracker is closed, or the address cannot be bound (such
     *                               as a port in use)
     */
    public static RunlogServer start(Tracker tracker, ServerOptions options) {
        InputRules.notNull("tracker", tracker);
        InputRules.notNull("options", options);
        // Registered before anything is bound: a closed tracker refuses it here, and an open one
        // stops the server when it closes.
        AtomicReference<RunlogServer> started = new AtomicReference<>();
        AtomicBoolean trackerClosed = new AtomicBoolean();
        if (tracker instanceof TrackerAccess access) {
            access.closeWithTracker(() -> {
                trackerClosed.set(true);
                RunlogServer server = started.get();
                if (server != null) {
                    server.close();
                }
            });
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(options.host());
        } catch (UnknownHostException e) {
            throw new InvalidInputException("host '" + options.host() + "' does not resolve", e);
        }
        String token = options.token().orElse(address.isLoopbackAddress() ? null : generateToken());
        // Without TCP_NODELAY the JDK server sends headers and body as two segments, and the second
        // waits for the client's delayed ACK: ~40 ms per request, where a logged metric takes well under
        // one. The JDK reads this property once, when its first server starts.
        if (System.getProperty(NODELAY_PROPERTY) == null) {
            System.setProperty(NODELAY_PROPERTY, "true");
        }
        // Without a limit a client that opens connections and sends half a request holds workers
        // for ever, before any token is checked; read once too, when the JDK's first server starts.
        if (System.getProperty(MAX_REQUEST_TIME_PROPERTY) == null) {
            System.setProperty(MAX_REQUEST_TIME_PROPERTY, MAX_REQUEST_SECONDS);
        }
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(address, options.port()), 0);
        } catch (IOException e) {
            throw new RunlogException("cannot listen on " + options.host() + ":" + options.port() + ": " + e.getMessage(), e);
        }
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, task -> {
            Thread thread = new Thread(task, "runlog-server-" + threads.incrementAndGet());
            // Serving must never keep the JVM alive after the application is done.
            thread.setDaemon(true);
            return thread;
        });
        http.setExecutor(executor);
        JsonApi api = new JsonApi(tracker);
        // Without a token (a loopback server) a request must also name a loopback host: see Csrf.
        WriteApi writes = options.allowWrites() ? new WriteApi(api, Csrf.withRandomSecret(token == null)) : null;
        http.createContext("/", new ApiHandler(api, token, writes));
        http.start();
        String host = address.getHostAddress();
        URI uri = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":"
                + http.getAddress().getPort() + "/");
        LOG.log(System.Logger.Level.INFO, "Runlog server listening on " + uri
                + (token == null ? "" : " (access token required)"));
        RunlogServer server = new RunlogServer(http, executor, token, uri, started);
        started.set(server);
        if (trackerClosed.get()) {
            // The tracker closed while this started, before the server could be handed to it.
            server.close();
            throw new RunlogException("This tracker was closed while the server started; open the store again");
        }
        return server;
    }

    private static String generateToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Where the server listens, such as {@code http://127.0.0.1:5000/}. */
    public URI uri() {
        return uri;
    }

    /** The port the server listens on: the one asked for, or the free one taken for port 0. */
    public int port() {
        return uri.getPort();
    }

    /** The token every request must carry: the one given, or the one generated; empty when none is required. */
    public Optional<String> token() {
        return Optional.ofNullable(token);
    }

    /** Stops listening, ends the requests in progress and the server's threads; the tracker stays open. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            registration.set(null);
            http.stop(0);
            executor.shutdownNow();
        }
    }
}
