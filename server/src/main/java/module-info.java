/**
 * Runlog's server: a JSON API (read-only unless writes are allowed) and a web UI over any {@code Tracker} and its model registry, served by
 * the JDK's {@code com.sun.net.httpserver} (no other HTTP dependency). Only {@code dev.runlog.server}
 * is exported.
 */
module dev.runlog.server {
    requires transitive dev.runlog.registry;
    requires jdk.httpserver;
    requires java.management; // the CPU time of a request, in MLflow replies' Server-Timing
    requires com.fasterxml.jackson.databind;

    exports dev.runlog.server;
}
