package dev.runlog.server;

import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.spi.InputRules;
import java.util.Optional;

/**
 * Where and how a {@link RunlogServer} listens: host {@code 127.0.0.1}, any free port, no token,
 * read-only by default. Immutable: each setter ({@code port(int)}) returns a changed copy, each
 * accessor ({@code port()}) is named after its property, as every options class of Runlog's API.
 *
 * <pre>{@code
 * RunlogServer.start(tracker, ServerOptions.defaults().port(5000));
 * RunlogServer server = RunlogServer.start(tracker, ServerOptions.defaults().host("0.0.0.0"));
 * System.out.println("token: " + server.token().orElseThrow());     // generated
 * RunlogServer.start(tracker, ServerOptions.defaults().host("0.0.0.0").token(sharedSecret));
 * }</pre>
 *
 * <p>A server bound to an address that is not a loopback address requires an access token on
 * every request; when none is given here, {@link RunlogServer#start} generates one. A token given
 * is never null: leave {@link #token(String)} out to have one generated.
 */
public final class ServerOptions {
    /** The shortest token accepted: a guessable token would make the check pointless. */
    public static final int MIN_TOKEN_LENGTH = 16;

    private static final ServerOptions DEFAULTS = new ServerOptions("127.0.0.1", 0, null, false);

    private final String host;
    private final int port;
    private final String token;
    private final boolean allowWrites;

    private ServerOptions(String host, int port, String token, boolean allowWrites) {
        this.host = host;
        this.port = port;
        this.token = token;
        this.allowWrites = allowWrites;
    }

    /** Host {@code 127.0.0.1}, port 0 (any free port), no token, read-only. */
    public static ServerOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A copy binding this host name or address (resolved when the server starts). Any address that
     * is not a loopback address, such as {@code 0.0.0.0}, makes the server require a token.
     *
     * @throws InvalidInputException if the host is blank or contains whitespace
     */
    public ServerOptions host(String newHost) {
        InputRules.notNull("host", newHost);
        if (newHost.isBlank() || newHost.chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidInputException("host '" + newHost + "' is blank or contains whitespace");
        }
        return new ServerOptions(newHost, port, token, allowWrites);
    }

    /**
     * A copy listening on this port; 0 takes any free port ({@link RunlogServer#port()} tells which).
     *
     * @throws InvalidInputException if the port is not in 0..65535
     */
    public ServerOptions port(int newPort) {
        if (newPort < 0 || newPort > 65_535) {
            throw new InvalidInputException("port " + newPort + " is not in 0..65535");
        }
        return new ServerOptions(host, newPort, token, allowWrites);
    }

    /**
     * A copy requiring this access token on every request, as {@code Authorization: Bearer <token>}
     * or a {@code token} cookie, whatever the host.
     *
     * @throws InvalidInputException if the token is null, shorter than {@value #MIN_TOKEN_LENGTH}
     *                               characters or holds a character other than a letter, a digit,
     *                               {@code -}, {@code _}, {@code .} or {@code ~}
     */
    public ServerOptions token(String newToken) {
        InputRules.notNull("token", newToken);
        if (newToken.length() < MIN_TOKEN_LENGTH) {
            throw new InvalidInputException("token is " + newToken.length() + " characters long; the minimum is "
                    + MIN_TOKEN_LENGTH);
        }
        // Only characters that survive a header and a cookie unquoted, so both ways to send it work.
        if (!newToken.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || "-_.~".indexOf(c) >= 0))) {
            throw new InvalidInputException("token holds a character other than letters, digits, '-', '_', '.' and '~'");
        }
        return new ServerOptions(host, port, newToken, allowWrites);
    }

    /**
     * A copy with writes allowed or not (not by default). With writes allowed the server also takes
     * POSTs that set and delete run tags, set a run's note, move model versions between stages
     * (through the registry's gates when given, and always into its audit trail) and set and delete
     * aliases; each must carry the server's CSRF secret and pass the checks
     * {@link RunlogServer} lists; and it serves MLflow's REST API (see {@link RunlogServer}), whose
     * clients log as they go. Without, every POST gets 405 and every MLflow call 403.
     */
    public ServerOptions allowWrites(boolean allow) {
        return new ServerOptions(host, port, token, allow);
    }

    /** The host name or address to bind: {@code 127.0.0.1} unless {@link #host(String)} set it. */
    public String host() {
        return host;
    }

    /** The port to listen on; 0 for any free port. */
    public int port() {
        return port;
    }

    /** The access token given; empty when none was (one is generated for a non-loopback host). */
    public Optional<String> token() {
        return Optional.ofNullable(token);
    }

    /** Whether writes are allowed (see {@link #allowWrites(boolean)}); false unless set. */
    public boolean allowWrites() {
        return allowWrites;
    }
}
