package dev.runlog.server.internal;

import com.sun.net.httpserver.Headers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The cross-site request forgery defence of the write API: the checks every POST passes before its
 * body is read. Each one alone stops a forged request from another site, together they leave no
 * gap a browser quirk could open:
 * <ol>
 * <li>when no access token is required (a loopback server), {@code Host} must name a loopback
 *     address ({@code localhost}, {@code 127.x.x.x}, {@code [::1]}): a site that rebinds its own
 *     name to 127.0.0.1 (DNS rebinding) is same-origin to the browser, and could otherwise read the
 *     secret from {@code GET /api/session}, which this check guards too;</li>
 * <li>header {@code X-Runlog-CSRF} equal to this server's secret, which only {@code GET /api/session}
 *     tells, and only to a page of the server's own origin (no CORS headers are ever sent, so no
 *     other site can read it);</li>
 * <li>{@code Content-Type: application/json}, which a cross-site form cannot send and a cross-site
 *     script can only send after a CORS preflight, which is never granted;</li>
 * <li>{@code Origin}, if present, equal to the server's own origin as the request's {@code Host}
 *     names it;</li>
 * <li>{@code Sec-Fetch-Site}, if present, {@code same-origin} or {@code none}.</li>
 * </ol>
 */
public final class Csrf {
    /** The header carrying the secret. */
    public static final String HEADER = "X-Runlog-CSRF";

    private final String secret;
    private final byte[] secretBytes;
    private final boolean loopbackHostOnly;

    private Csrf(String secret, boolean loopbackHostOnly) {
        this.secret = secret;
        this.secretBytes = secret.getBytes(StandardCharsets.UTF_8);
        this.loopbackHostOnly = loopbackHostOnly;
    }

    /**
     * A defence with a fresh random secret of 192 bits, for one server's lifetime.
     *
     * @param loopbackHostOnly whether requests must name a loopback host: true when no access token
     *                         guards the server
     */
    public static Csrf withRandomSecret(boolean loopbackHostOnly) {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return new Csrf(HexFormat.of().formatHex(bytes), loopbackHostOnly);
    }

    /** Why a request naming this {@code Host} may not see the secret or write, or empty if it may. */
    public Optional<Refusal> hostRefusal(Headers request) {
        return loopbackHostOnly ? loopbackHostRefusal(request) : Optional.empty();
    }

    /** Why a request to a loopback server names a host that is not one of its names, or empty if it does not. */
    public static Optional<Refusal> loopbackHostRefusal(Headers request) {
        String host = request.getFirst("Host");
        if (host != null && isLoopback(host)) {
            return Optional.empty();
        }
        return Optional.of(new Refusal("host", "a request for host '" + host + "' is not for this loopback server;"
                + " use http://127.0.0.1 or http://localhost"));
    }

    /** Compiled once: String.matches compiles its pattern at every request. */
    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern PORT = Pattern.compile(":\\d{1,5}");

    /** A Host of a loopback name, with an optional port and nothing else (no user info, no other name). */
    private static boolean isLoopback(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        String port;
        if (name.startsWith("[")) {
            port = name.startsWith("[::1]") ? name.substring(5) : null;
            name = "[::1]";
        } else {
            int colon = name.indexOf(':');
            port = colon < 0 ? "" : name.substring(colon);
            name = colon < 0 ? name : name.substring(0, colon);
        }
        return port != null && (port.isEmpty() || PORT.matcher(port).matches())
                && (name.equals("localhost") || name.equals("[::1]") || IPV4_LOOPBACK.matcher(name).matches());
    }

    /** A failed check: its name (such as {@code "origin"}) and what was wrong. */
    public record Refusal(String check, String message) {
    }

    /** The secret that {@code GET /api/session} hands to the server's own pages. */
    String secret() {
        return secret;
    }

    /** Why a POST with these headers is refused, or empty if it passes every check. */
    Optional<Refusal> refusal(Headers request) {
        Optional<Refusal> wrongHost = hostRefusal(request);
        if (wrongHost.isPresent()) {
            return wrongHost;
        }
        String given = request.getFirst(HEADER);
        // Compared in constant time, so response timing tells nothing about the secret.
        if (given == null || !MessageDigest.isEqual(secretBytes, given.getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(new Refusal("csrf_token", "header " + HEADER + " is missing or wrong; GET /api/session gives it"));
        }
        return contentTypeRefusal(request).or(() -> originRefusal(request));
    }

    /** Why a body with these headers is not JSON as a write must send it, or empty if it is. */
    public static Optional<Refusal> contentTypeRefusal(Headers request) {
        String type = request.getFirst("Content-Type");
        if (type == null || !mediaType(type).equals("application/json")) {
            return Optional.of(new Refusal("content_type", "the body must be sent as Content-Type: application/json, not "
                    + (type == null ? "without one" : "'" + type + "'")));
        }
        return Optional.empty();
    }

    /**
     * Why a request with these headers is not from this server's own pages or a non-browser client
     * (its {@code Host}, {@code Origin} and {@code Sec-Fetch-Site} checks, without the secret), or
     * empty if it passes: what the MLflow API, whose clients cannot know the secret, relies on.
     */
    public Optional<Refusal> originRefusal(Headers request) {
        Optional<Refusal> wrongHost = hostRefusal(request);
        if (wrongHost.isPresent()) {
            return wrongHost;
        }
        String origin = request.getFirst("Origin");
        String host = request.getFirst("Host");
        if (origin != null && (host == null || !origin.equalsIgnoreCase("http://" + host))) {
            return Optional.of(new Refusal("origin", "a request from origin '" + origin + "' is not from this server ("
                    + (host == null ? "no Host header" : "http://" + host) + ")"));
        }
        String site = request.getFirst("Sec-Fetch-Site");
        if (site != null && !site.equalsIgnoreCase("same-origin") && !site.equalsIgnoreCase("none")) {
            return Optional.of(new Refusal("sec_fetch_site", "a request the browser marks '" + site + "' is not from this server"));
        }
        return Optional.empty();
    }

    /** The media type without parameters such as {@code charset}, in lowercase. */
    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }
}
