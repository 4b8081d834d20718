package dev.runlog.storage.postgres.internal;

import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.spi.ArtifactStore;
import dev.runlog.tracking.spi.ArtifactStores;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * A parsed store URI, {@code postgresql://user[:password]@host[:port]/db[?params]}, as libpq and
 * SQLAlchemy (so MLflow users) write it. The password comes from the URI, else the environment's
 * {@code PGPASSWORD}, else the password file ({@link PgPass}); it is kept apart and appears in no
 * message and in no {@link #toString()}, which is the URI without it ({@link #redacted()}).
 *
 * <p>Parameters: the TLS and connection options in {@link #DRIVER_PARAMETERS} go to the JDBC driver
 * as they are; {@code artifacts=} says where artifact files live: in the database when it is left
 * out, else any location {@link ArtifactStores} opens (a directory, a {@code file:} URI, or a URI an
 * {@link dev.runlog.tracking.spi.ArtifactStoreProvider} handles, such as {@code s3://bucket/prefix}),
 * whose own options ({@code endpoint=...}) are given beside the store's. Any other parameter, an
 * empty or a repeated one, is an {@link InvalidInputException} naming it, before anything connects.
 */
final class PgUri {
    static final int DEFAULT_PORT = 5432;

    /**
     * Passed to the driver unchanged: TLS (libpq's names, which pgjdbc shares), timeouts and server
     * {@code options} (after Runlog's own: PgDatabase#sessionOptions). Kept to
     * a known list, so that a misspelt option fails at open instead of being ignored.
     */
    /** PostgreSQL's (and its JDBC driver's) values of {@code sslmode}, in order of strictness. */
    private static final List<String> SSL_MODES = List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
    static final Set<String> DRIVER_PARAMETERS = Set.of("sslmode", "sslrootcert", "sslcert", "sslkey", "sslpassword",
            "sslfactory", "sslhostnameverifier", "connectTimeout", "socketTimeout", "loginTimeout", "ApplicationName",
            "tcpKeepAlive", PgUri.OPTIONS);

    /** Server settings for each session, as libpq's {@code options} ({@code -c name=value ...}); see PgDatabase. */
    static final String OPTIONS = "options";
    static final String ARTIFACTS = "artifacts";

    /** Parameters whose values are secrets: like the password, never shown. */
    private static final Set<String> SECRET_PARAMETERS = Set.of("sslpassword");

    private final String scheme;
    private final String user;
    private final String host;
    private final int port;
    private final String database;
    private final Map<String, String> driverParameters;
    /** The artifact location, or empty for the database; and the options of the store there. */
    private final Optional<String> artifacts;
    private final Map<String, String> artifactOptions;
    private final Optional<String> password;

    private PgUri(String scheme, String user, String host, int port, String database, Map<String, String> driverParameters,
                  Optional<String> artifacts, Map<String, String> artifactOptions, Optional<String> password) {
        this.scheme = scheme;
        this.user = user;
        this.host = host;
        this.port = port;
        this.database = database;
        this.driverParameters = driverParameters;
        this.artifacts = artifacts;
        this.artifactOptions = artifactOptions;
        this.password = password;
    }

    /**
     * Parses {@code uri}, looking up what it leaves out in {@code environment} ({@code PGPASSWORD},
     * {@code PGPASSFILE}, {@code PGUSER}) and the password file under {@code home}.
     */
    static PgUri parse(String uri, UnaryOperator<String> environment, Path home) {
        int colon = uri.indexOf(':');
        String scheme = uri.substring(0, Math.max(colon, 0));
        String rest = uri.substring(colon + 1);
        if (!rest.startsWith("//")) {
            throw new InvalidInputException("Tracking URI '" + scheme + ":...' must be " + scheme
                    + "://user@host[:port]/database, such as " + scheme + "://runlog@db.example.com:5432/runlog");
        }
        rest = rest.substring(2);
        String query = null;
        int question = rest.indexOf('?');
        if (question >= 0) {
            query = rest.substring(question + 1);
            rest = rest.substring(0, question);
        }
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        // The password may hold '@' when percent-encoded only; the last '@' ends the user part.
        int at = authority.lastIndexOf('@');
        String userInfo = at < 0 ? null : authority.substring(0, at);
        // An '@' in the path or the query ends a user part that a '/' or '?' cut short, even after
        // an '@' in the authority that a password holding '@' put there (a database name or an
        // option value holding '@' writes it %40).
        if (path.indexOf('@') >= 0 || (query != null && query.indexOf('@') >= 0)) {
            // Whatever a message quoted of such a URI (a port, a database name, an option) could be
            // part of the password, so this one quotes nothing.
            throw new InvalidInputException("Tracking URI '" + scheme + "://...' has an '@' after where its host"
                    + " starts: percent-encode '/', '?', '#' and '@' in a user name or password (%2F, %3F, %23, %40)");
        }
        String hostPort = authority.substring(at + 1);
        String user = null;
        String uriPassword = null;
        if (userInfo != null) {
            int split = userInfo.indexOf(':');
            user = decode(scheme, "user name", split < 0 ? userInfo : userInfo.substring(0, split));
            uriPassword = split < 0 ? null : decode(scheme, "password", userInfo.substring(split + 1));
        }
        if (hostPort.contains(",")) {
            throw new InvalidInputException("Tracking URI '" + scheme + "://..." + hostPort + "/...' names several hosts;"
                    + " a store is one server: write one host[:port]");
        }
        // An IPv6 address goes in brackets, as in any URI; the port follows the ':' after the host.
        int close = hostPort.startsWith("[") ? hostPort.indexOf(']') : -1;
        if ((hostPort.startsWith("[") && close < 0) || (close < 0 && hostPort.indexOf(':') != hostPort.lastIndexOf(':'))) {
            throw new InvalidInputException("Tracking URI '" + scheme + "://..." + hostPort + "/...' has an IPv6 address"
                    + " without its brackets; write it as " + scheme + "://user@[::1]:5432/database");
        }
        int portColon = hostPort.indexOf(':', Math.max(close, 0));
        String host = portColon < 0 ? hostPort : hostPort.substring(0, portColon);
        int port = portColon < 0 ? DEFAULT_PORT : port(scheme, hostPort.substring(portColon + 1), host, path);
        if (host.isEmpty()) {
            throw new InvalidInputException("Tracking URI '" + shown(scheme, user, "", port, path)
                    + "' names no host; write " + scheme + "://user@host/database");
        }
        if (!(HOST_NAME.matcher(host).matches() || IPV6_HOST.matcher(host).matches())) {
            throw new InvalidInputException("Tracking URI '" + scheme + "://..." + hostPort + "/...' has host '" + host
                    + "', which is neither a host name nor an address; write one host (letters, digits, '.', '-', '_'),"
                    + " or an IPv6 address in brackets such as " + scheme + "://user@[::1]:5432/database");
        }
        String database = decode(scheme, "database name", path);
        if (database.isEmpty() || database.contains("/")) {
            throw new InvalidInputException("Tracking URI '" + shown(scheme, user, host, port, database)
                    + "' names no database (or more than one path segment); write " + scheme + "://user@" + host
                    + "/database");
        }
        if (user == null || user.isEmpty()) {
            user = environment.apply("PGUSER");
            if (user == null || user.isEmpty()) {
                user = System.getProperty("user.name");
            }
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        Map<String, String> others = parameters(scheme, user, host, port, database, query, parameters);
        Optional<String> artifacts = Optional.ofNullable(parameters.remove(ARTIFACTS));
        // What the store does not take is for the artifact store (s3://... takes endpoint, region,
        // ...); the database and a directory take nothing, so a typo is still refused, naming it.
        Set<String> artifactOptionNames = artifacts.map(ArtifactStores::optionNames).orElse(Set.of());
        List<String> unknown = others.keySet().stream().filter(name -> !artifactOptionNames.contains(name)).toList();
        if (!unknown.isEmpty()) {
            Set<String> known = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
            known.addAll(DRIVER_PARAMETERS);
            known.add(ARTIFACTS);
            throw new InvalidInputException("Tracking URI '" + shown(scheme, user, host, port, database) + "': unknown option"
                    + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown) + "; the postgresql store takes "
                    + String.join(", ", known) + (artifactOptionNames.isEmpty() ? ""
                            : ", and its artifact location takes " + String.join(", ", new TreeSet<>(artifactOptionNames))));
        }
        String sslmode = parameters.get("sslmode");
        if (sslmode != null && !SSL_MODES.contains(sslmode)) {
            // A wrong value is no outage: refused here, before anything connects, not after a timeout.
            throw new InvalidInputException("Tracking URI '" + shown(scheme, user, host, port, database) + "': sslmode '"
                    + sslmode + "' is none of " + String.join(", ", SSL_MODES));
        }
        Optional<String> password = Optional.ofNullable(uriPassword);
        if (password.isEmpty()) {
            password = Optional.ofNullable(environment.apply("PGPASSWORD")).filter(p -> !p.isEmpty());
        }
        if (password.isEmpty()) {
            password = PgPass.lookup(PgPass.file(environment, home), host, port, database, user);
        }
        return new PgUri(scheme, user, host, port, database, Map.copyOf(parameters), artifacts,
                // Not Map.copyOf: ArtifactStores.open asks whether a null key is in it, which Map.copyOf's maps refuse to answer.
                Collections.unmodifiableMap(others), password);
    }

    private static final java.util.regex.Pattern HOST_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9._-]+");
    private static final java.util.regex.Pattern IPV6_HOST = java.util.regex.Pattern.compile("\\[[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9._-]+)?]");

    private static int port(String scheme, String text, String host, String database) {
        try {
            int port = Integer.parseInt(text);
            if (port > 0 && port < 65536) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidInputException("Tracking URI " + scheme + "://..." + host + ":" + text + "/" + database
                + " has port '" + text + "', which is not a port number (1 to 65535)");
    }

    /**
     * Reads the query: the store's own parameters into {@code parameters}; returns the others, for
     * the artifact store to take or the caller to refuse.
     */
    private static Map<String, String> parameters(String scheme, String user, String host, int port, String database,
                                                  String query, Map<String, String> parameters) {
        Map<String, String> others = new LinkedHashMap<>();
        if (query == null) {
            return others;
        }
        String where = "Tracking URI '" + shown(scheme, user, host, port, database) + "'";
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : decode(scheme, "value of option '" + name + "'", pair.substring(eq + 1));
            Map<String, String> target = DRIVER_PARAMETERS.contains(name) || name.equals(ARTIFACTS) ? parameters : others;
            if (value.isEmpty()) {
                throw new InvalidInputException(where + ": option '" + (name.isEmpty() ? "(empty)" : name) + "' has no value");
            }
            if (parameters.containsKey(name) || others.containsKey(name)) {
                throw new InvalidInputException(where + " gives option '" + name + "' twice");
            }
            target.put(name, value);
        }
        return others;
    }

    private static String decode(String scheme, String what, String text) {
        try {
            String decoded = URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
            if (decoded.indexOf('\u0000') >= 0) {
                // PostgreSQL's start-up message ends each name at a NUL: the server got a broken packet.
                throw new InvalidInputException("Tracking URI " + scheme + "://...: the " + what
                        + " holds a NUL character (%00), which PostgreSQL names and passwords cannot hold");
            }
            return decoded;
        } catch (IllegalArgumentException e) {
            // Neither the text nor the decoder's message, which quotes the characters after a '%': it may be the password.
            throw new InvalidInputException("Tracking URI " + scheme + "://...: the " + what
                    + " is not valid %-encoding: each '%' must begin a %XX escape (write a '%' itself as %25)");
        }
    }

    private static String shown(String scheme, String user, String host, int port, String database) {
        return scheme + "://" + (user == null ? "" : user + "@") + host + (port == DEFAULT_PORT ? "" : ":" + port) + "/"
                + database;
    }

    String user() {
        return user;
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    String database() {
        return database;
    }

    /** The password, for the connection pool only. */
    Optional<String> password() {
        return password;
    }

    /** The options for the driver, secrets included: for the connection pool only. */
    Map<String, String> driverParameters() {
        return driverParameters;
    }

    /**
     * Opens the artifact store {@code artifacts=} names, with its options, through {@link ArtifactStores};
     * empty when the option is left out: artifacts then go into the database.
     */
    Optional<ArtifactStore> openArtifacts() {
        return artifacts.map(location -> ArtifactStores.open(location, artifactOptions));
    }

    /** The JDBC URL: host, port and database, never a credential (those go as properties). */
    String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + java.net.URLEncoder.encode(database, StandardCharsets.UTF_8);
    }

    /** The URI without the password and secret options: what messages and logs show. */
    String redacted() {
        StringBuilder shown = new StringBuilder(shown(scheme, user, host, port, database));
        char separator = '?';
        for (Map.Entry<String, String> p : driverParameters.entrySet()) {
            shown.append(separator).append(p.getKey()).append('=')
                    .append(SECRET_PARAMETERS.contains(p.getKey()) ? "***" : p.getValue());
            separator = '&';
        }
        if (artifacts.isPresent()) {
            shown.append(separator).append(ARTIFACTS).append('=').append(artifacts.get());
            separator = '&';
        }
        for (Map.Entry<String, String> p : new TreeMap<>(artifactOptions).entrySet()) {
            shown.append(separator).append(p.getKey()).append('=').append(p.getValue());
            separator = '&';
        }
        return shown.toString();
    }

    @Override
    public String toString() {
        return redacted();
    }
}
