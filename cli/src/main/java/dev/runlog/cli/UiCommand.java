package dev.runlog.cli;

import dev.runlog.server.RunlogServer;
import dev.runlog.server.ServerOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code runlog ui}: serves the store through {@link RunlogServer} until the process is stopped. */
@Command(name = "ui", mixinStandardHelpOptions = true,
        description = {"Serve the store's runs and models over HTTP until Ctrl-C.",
                "Bound to an address that is not loopback, every request needs the access token printed at start.",
                "With --allow-writes it also serves MLflow's REST API: MLflow's clients log into the store",
                "with MLFLOW_TRACKING_URI set to the address printed (and MLFLOW_TRACKING_TOKEN to the token)."})
final class UiCommand extends CliCommand {
    @Option(names = "--port", defaultValue = "5000", description = "Port (0: any free one). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind. Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--allow-writes", description = "Accept changes through the UI and MLflow's REST API (off: read-only).")
    boolean allowWrites;

    @Option(names = "--token", paramLabel = "TOKEN", description = "The access token to require (default: generated off 127.0.0.1).")
    String token;

    @Override
    public Integer call() throws InterruptedException {
        ServerOptions options;
        try {
            options = ServerOptions.defaults().host(host).port(port).allowWrites(allowWrites);
            if (token != null) {
                options = options.token(token);
            }
        } catch (dev.runlog.tracking.InvalidInputException e) {
            throw new UsageException(e.getMessage()); // a bad --port or --token is a usage error: exit 2
        }
        // A server taking writes is where MLflow's clients log: it may start on a new store.
        try (RunlogServer server = RunlogServer.start(allowWrites ? ctx().targetTracker() : ctx().tracker(), options)) {
            ctx().out.println("Runlog UI at " + server.uri() + " serving " + RunCommands.describeStore(ctx())
                    + (allowWrites ? " (writes allowed)" : " (read-only)"));
            server.token().ifPresent(t -> ctx().out.println("access token: " + t));
            if (allowWrites) {
                // MLflow's API needs writes (its clients log as they go): served exactly when they are allowed.
                String uri = server.uri().toString();
                if (everyInterface(server.uri().getHost())) {
                    // 0.0.0.0 is no address a client can reach from another machine.
                    uri = "http://<this machine's address>:" + server.port() + "/";
                }
                ctx().out.println("MLflow clients: MLFLOW_TRACKING_URI=" + uri.substring(0, uri.length() - 1)
                        + (server.token().isPresent() ? " MLFLOW_TRACKING_TOKEN=<the access token>" : ""));
            }
            ctx().out.println("Ctrl-C stops it.");
            ctx().out.flush();
            // Ctrl-C ends the JVM and its shutdown hooks close the tracker; tests release the latch.
            ctx().stop.await();
        }
        return 0;
    }

    /** Whether {@code host} (an address literal, as the server's URI gives it) is the wildcard of every interface. */
    private static boolean everyInterface(String host) {
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!literal.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
            return false; // a name: never the wildcard, and not looked up again here
        }
        try {
            return InetAddress.getByName(literal).isAnyLocalAddress(); // a literal: parsed, not looked up
        } catch (UnknownHostException malformed) {
            return false;
        }
    }
}
