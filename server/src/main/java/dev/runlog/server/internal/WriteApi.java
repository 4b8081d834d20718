package dev.runlog.server.internal;

import com.sun.net.httpserver.HttpExchange;
import dev.runlog.registry.Gate;
import dev.runlog.registry.Gates;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.Stage;
import dev.runlog.registry.TransitionOptions;
import dev.runlog.tracking.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The write API, served only when the server allows writes: POSTs that pass {@link Csrf}'s checks,
 * with a JSON object body of at most {@value #MAX_BODY} bytes, through the public Tracker and
 * ModelRegistry API (so stage changes go through the registry's gates and audit trail). Each reply
 * is the changed resource in the shape its GET has.
 */
public final class WriteApi {
    /** The largest request body read; a longer one gets 413. */
    static final int MAX_BODY = 64 * 1024;
    /** How much of a longer body is read and dropped before the 413, at most. */
    private static final int MAX_DRAINED = 1024 * 1024;
    /** The tag MLflow keeps a run's note in, which its UI shows as the run's description. */
    static final String NOTE_TAG = "mlflow.note.content";

    private final JsonApi api;
    private final Csrf csrf;
    private final String user;

    /**
     * Writes through {@code api}'s tracker and registry, guarded by {@code csrf}. Stage changes are
     * recorded in the audit trail as made by the operating system user running the server, marked
     * as coming through the web: {@code "alice (web)"}.
     */
    public WriteApi(JsonApi api, Csrf csrf) {
        this.api = api;
        this.csrf = csrf;
        String osUser = System.getProperty("user.name", "");
        this.user = osUser.isBlank() ? "web" : osUser + " (web)";
    }

    Csrf csrf() {
        return csrf;
    }

    /** Serves a POST to {@code path} (the decoded segments after {@code /api/}). */
    void serve(HttpExchange exchange, List<String> path) throws IOException {
        Optional<Csrf.Refusal> refusal = csrf.refusal(exchange.getRequestHeaders());
        if (refusal.isPresent()) {
            ApiHandler.sendRefusal(exchange, refusal.get());
            return;
        }
        byte[] body = readBounded(exchange);
        if (body == null) {
            ApiHandler.sendError(exchange, 413, "too_large", "the request body exceeds " + MAX_BODY + " bytes");
            return;
        }
        Object reply = route(path, body);
        if (reply == null) {
            ApiHandler.sendError(exchange, 404, "not_found", "no such resource to write: /api/" + String.join("/", path));
        } else {
            ApiHandler.sendJson(exchange, 200, reply);
        }
    }

    /**
     * The body, or null if it is longer than {@link #MAX_BODY}. The rest of a body up to
     * {@link #MAX_DRAINED} is read and dropped: a connection closed on unread data is reset, and
     * the client then sees the reset instead of the 413.
     */
    private static byte[] readBounded(HttpExchange exchange) throws IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null && length.chars().allMatch(Character::isDigit)
                && (length.length() > 9 || Long.parseLong(length) > MAX_DRAINED)) {
            return null;
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length <= MAX_BODY) {
                return bytes;
            }
            // read(byte[]), not skip: the JDK server's fixed-length stream loses count of its end after a skip.
            byte[] drain = new byte[8192];
            long dropped = bytes.length;
            for (int n = 0; n != -1 && dropped < MAX_DRAINED; n = in.read(drain)) {
                dropped += n;
            }
            return null;
        }
    }

    private Object route(List<String> path, byte[] bytes) {
        int n = path.size();
        String head = n == 0 ? "" : path.get(0);
        if (head.equals("runs") && n >= 3) {
            return runWrite(path.get(1), String.join("/", path.subList(2, n)), bytes);
        }
        if (head.equals("models") && n >= 3) {
            String name = path.get(1);
            if (n == 5 && path.get(2).equals("versions") && path.get(4).equals("stage")) {
                stage(name, version(path.get(3)), bytes);
                return api.modelWithVersions(name);
            }
            String rest = String.join("/", path.subList(2, n));
            if (rest.equals("aliases")) {
                JsonBody body = JsonBody.parse(bytes, Set.of("alias", "version"));
                registry().setAlias(name, body.text("alias"), body.integer("version"));
                return api.modelWithVersions(name);
            }
            if (rest.equals("aliases/delete")) {
                JsonBody body = JsonBody.parse(bytes, Set.of("alias"));
                registry().deleteAlias(name, body.text("alias"));
                return api.modelWithVersions(name);
            }
        }
        return null;
    }

    /** A tag or note of a run, which may have ended; a deleted run is a conflict (409), an unknown one 404. */
    private Object runWrite(String runId, String route, byte[] bytes) {
        switch (route) {
            case "tags" -> {
                JsonBody body = JsonBody.parse(bytes, Set.of("key", "value"));
                api.tracker().setTag(runId, body.text("key"), body.text("value"));
            }
            case "tags/delete" -> api.tracker().deleteTag(runId, JsonBody.parse(bytes, Set.of("key")).text("key"));
            case "note" -> api.tracker().setTag(runId, NOTE_TAG, JsonBody.parse(bytes, Set.of("text")).text("text"));
            default -> {
                return null;
            }
        }
        return api.run(runId);
    }

    /**
     * A transition, or, with gates, a promotion through them ({@link ModelRegistry#promote}, which
     * records the gates in the audit trail); either archives the stage's previous holders only when
     * {@code archive_existing} is true, as MLflow's transitions.
     */
    private void stage(String name, int version, byte[] bytes) {
        JsonBody body = JsonBody.parse(bytes, Set.of("stage", "archive_existing", "comment", "gates", "beats_current"));
        Stage stage = Stage.parse(body.text("stage"));
        TransitionOptions options = TransitionOptions.defaults().user(user)
                .comment(body.optionalText("comment").orElse(null));
        List<Gate> gates = new ArrayList<>();
        for (String expression : body.texts("gates")) {
            gates.add(Gates.parse(expression));
        }
        body.optionalText("beats_current").ifPresent(key -> gates.add(Gates.parseBeatsCurrent(key)));
        options = options.archiveExisting(body.bool("archive_existing", false));
        if (gates.isEmpty()) {
            registry().transition(name, version, stage, options);
        } else {
            registry().promote(name, version, stage, options, gates.toArray(Gate[]::new));
        }
    }

    private static int version(String segment) {
        try {
            return Integer.parseInt(segment);
        } catch (NumberFormatException e) {
            throw new InvalidInputException("version '" + segment + "' is not a version number"
                    + (segment.matches("[0-9]+") ? " (versions go up to " + Integer.MAX_VALUE + ")" : ", which is a whole number"));
        }
    }

    private ModelRegistry registry() {
        return api.registry();
    }

    /** The reply to {@code GET /api/session}: whether writes are served and what a page needs to send them. */
    static Map<String, Object> session(WriteApi writes, boolean tokenRequired) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("writes", writes != null);
        json.put("csrf_token", writes == null ? null : writes.csrf.secret());
        json.put("token_required", tokenRequired);
        return json;
    }
}
