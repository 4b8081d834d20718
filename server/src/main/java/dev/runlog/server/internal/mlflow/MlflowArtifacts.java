package dev.runlog.server.internal.mlflow;

import dev.runlog.server.internal.CheckedArtifact;
import com.sun.net.httpserver.HttpExchange;
import dev.runlog.server.internal.ApiHandler;
import dev.runlog.server.internal.PercentEncoding;
import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.LifecycleStage;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.ArtifactPaths;
import dev.runlog.tracking.spi.InputRules;
import dev.runlog.tracking.spi.TrackerAccess;
import dev.runlog.tracking.spi.TrackerStores;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MLflow's artifact proxy ({@code /api/2.0/mlflow-artifacts/artifacts/...}): what MLflow's clients
 * call for a run whose {@code artifact_uri} is {@code mlflow-artifacts:/<experiment>/<run>/artifacts},
 * as this server reports every run's. Paths are {@code <experiment>/<run>/artifacts/<path>};
 * files go to the tracker's artifact store and are recorded (size, SHA-256) as Runlog records the
 * files its own API logs. A path that leaves the run's artifacts ({@code ..}, absolute) is refused.
 * <ul>
 * <li>{@code PUT artifacts/<path>}: stores the body as the file (replacing one there); {@code {}}.</li>
 * <li>{@code GET artifacts/<path>}: the file's bytes.</li>
 * <li>{@code GET artifacts?path=<dir>}: {@code files}, each {@code path} (its name in the
 *     directory), {@code is_dir}, {@code file_size}.</li>
 * </ul>
 */
final class MlflowArtifacts {
    /** The scheme of the URIs MLflow's clients resolve to this proxy. */
    static final String SCHEME = "mlflow-artifacts:";

    private final Tracker tracker;
    private final TrackerStores stores;

    MlflowArtifacts(Tracker tracker) {
        this.tracker = tracker;
        this.stores = TrackerStores.of(tracker);
    }

    /** The {@code mlflow-artifacts:} URI of a run's artifacts. */
    static String runUri(String experimentId, String runId) {
        return SCHEME + "/" + experimentId + "/" + runId + "/artifacts";
    }

    static Map<String, Object> fileInfo(String path, ArtifactEntry entry) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("path", path);
        json.put("is_dir", entry.isDirectory());
        if (!entry.isDirectory()) {
            json.put("file_size", entry.size());
        }
        return json;
    }

    /** A run's file: the run and the normalized path inside its artifacts. */
    private record Target(Run run, String path) {
    }

    /** Serves {@code rest}, the raw path after {@code mlflow-artifacts/}. */
    void serve(HttpExchange exchange, String rest) throws IOException {
        String method = exchange.getRequestMethod();
        if (rest.equals("artifacts") || rest.equals("artifacts/")) {
            if (!method.equals("GET") && !method.equals("HEAD")) {
                throw new MlflowException("ENDPOINT_NOT_FOUND", 405, "listing artifacts is a GET");
            }
            Request r = Request.of(new byte[0], exchange.getRequestURI().getRawQuery());
            ApiHandler.sendJson(exchange, 200, list(r.optionalText("path").orElse("")));
            return;
        }
        if (!rest.startsWith("artifacts/")) {
            throw MlflowException.noEndpoint("no MLflow endpoint /api/2.0/mlflow-artifacts/" + rest);
        }
        StringBuilder decoded = new StringBuilder();
        for (String segment : rest.substring("artifacts/".length()).split("/", -1)) {
            decoded.append(decoded.length() == 0 ? "" : "/").append(decode(segment));
        }
        Target target = target(decoded.toString());
        switch (method) {
            case "PUT" -> {
                upload(target, exchange);
                ApiHandler.sendJson(exchange, 200, Map.of());
            }
            case "GET", "HEAD" -> download(target, exchange);
            default -> throw new MlflowException("ENDPOINT_NOT_FOUND", 405, "artifacts are uploaded with PUT and downloaded with GET");
        }
    }

    /** One path segment, %-decoded strictly (see {@link PercentEncoding}). */
    private static String decode(String raw) {
        try {
            return PercentEncoding.decode(raw, false);
        } catch (IllegalArgumentException e) {
            throw MlflowException.invalid("artifact path segment '" + raw + "' " + e.getMessage());
        }
    }

    /** {@code <experiment>/<run>/artifacts/<path>} as a run and a path in it; a path leaving it is refused. */
    private Target target(String proxyPath) {
        if (proxyPath.startsWith("/")) {
            throw MlflowException.invalid("artifact path '" + proxyPath + "' is not relative");
        }
        if (proxyPath.contains("\\")) {
            throw MlflowException.invalid("artifact path '" + proxyPath + "' holds a backslash; use '/' as the separator");
        }
        String[] parts = proxyPath.split("/", 4);
        if (parts.length < 3 || !parts[2].equals("artifacts")) {
            throw MlflowException.invalid("artifact path '" + proxyPath + "' is not <experiment id>/<run id>/artifacts/<path>,"
                    + " the form of this server's mlflow-artifacts: URIs");
        }
        if (parts.length == 4 && List.of(parts[3].split("/", -1)).stream().anyMatch(p -> p.equals(".") || p.isEmpty())
                && !parts[3].isEmpty()) {
            // Normalizing would merge a//b and a/./b into a/b: two names for one file, as archives refuse too.
            throw MlflowException.invalid("artifact path '" + proxyPath + "' has an empty or '.' part");
        }
        String path = ArtifactPaths.normalize(parts.length == 4 ? parts[3] : "");
        Run run = tracker.getRun(InputRules.runId(parts[1]));
        if (!run.info().experimentId().equals(parts[0])) {
            throw MlflowException.notFound("run " + parts[1] + " is not in experiment " + parts[0]);
        }
        return new Target(run, path);
    }

    private void upload(Target target, HttpExchange exchange) throws IOException {
        Run run = target.run();
        if (run.info().lifecycleStage() == LifecycleStage.DELETED
                || (run.info().status() != RunStatus.RUNNING && run.info().status() != RunStatus.SCHEDULED)) {
            throw MlflowException.invalid("run " + run.info().id() + " is " + (run.info().lifecycleStage() == LifecycleStage.DELETED
                    ? "deleted" : run.info().status()) + "; Runlog is stricter than MLflow here: a run's artifacts are"
                    + " fixed once it ended");
        }
        if (target.path().isEmpty()) {
            throw MlflowException.invalid("an artifact upload needs a file path after the run's artifacts/");
        }
        // Through the tracker, not straight into the stores: a logged model's files are refused
        // here as logArtifact refuses them (the model would no longer match its descriptor).
        try (InputStream in = exchange.getRequestBody()) {
            TrackerAccess.of(tracker).uploadArtifact(run.info().id(), target.path(), in);
        }
    }

    private void download(Target target, HttpExchange exchange) throws IOException {
        InputStream opened = tracker.openArtifact(target.run().info().id(), target.path());
        if (exchange.getRequestMethod().equals("HEAD")) {
            // The file exists (it opened) and HEAD sends no body: it is not read, so a HEAD of a large
            // file costs no read of it (nor its check, which only a read makes).
            opened.close();
            sendDownloadHeaders(exchange, -1);
            return;
        }
        // Read and checked whole before the reply starts: a file changed behind the store's back is
        // an error reply, not a 200 whose body the check fails only after it was sent.
        try (CheckedArtifact checked = CheckedArtifact.read(opened); InputStream in = checked.open()) {
            sendDownloadHeaders(exchange, checked.size() == 0 ? -1 : checked.size());
            try (OutputStream out = exchange.getResponseBody()) {
                in.transferTo(out);
            }
        }
    }

    private static void sendDownloadHeaders(HttpExchange exchange, long length) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
        exchange.getResponseHeaders().set("Content-Disposition", "attachment");
        exchange.sendResponseHeaders(200, length);
    }

    private Map<String, Object> list(String proxyPath) {
        Target target = target(proxyPath);
        List<Object> files = new ArrayList<>();
        for (ArtifactEntry entry : tracker.listArtifacts(target.run().info().id(), target.path())) {
            String name = entry.path().substring(entry.path().lastIndexOf('/') + 1);
            files.add(fileInfo(name, entry));
        }
        return Map.of("files", files);
    }
}
