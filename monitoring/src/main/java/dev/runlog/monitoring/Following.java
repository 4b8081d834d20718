package dev.runlog.monitoring;

import dev.runlog.registry.DeployedModel;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.ModelVersion;
import dev.runlog.tracking.RunlogException;
import dev.runlog.tracking.Tracker;

/**
 * Which version a {@link ModelMonitor} should be on: what a stage or alias points to in the registry
 * (looked at each poll), or what a deployment served each prediction with; or neither, for a
 * monitor of a version number or a reference. A look that fails keeps the monitor where it is and
 * is logged once per outage, not at every poll.
 */
final class Following {
    private static final System.Logger LOG = System.getLogger(ModelMonitor.class.getName());

    private final Tracker tracker;
    private final MonitorOptions options;
    private final String uri;
    private final ModelRegistry registry;
    private final DeployedModel<?> deployment;
    private boolean failureLogged;

    private Following(Tracker tracker, MonitorOptions options, String uri, ModelRegistry registry, DeployedModel<?> deployment) {
        this.tracker = tracker;
        this.options = options;
        this.uri = uri;
        this.registry = registry;
        this.deployment = deployment;
    }

    static Following nothing() {
        return new Following(null, null, null, null, null);
    }

    static Following registry(Tracker tracker, MonitorOptions options, String uri, ModelRegistry registry) {
        return new Following(tracker, options, uri, registry, null);
    }

    static Following deployment(Tracker tracker, MonitorOptions options, DeployedModel<?> deployment) {
        return new Following(tracker, options, null, null, deployment);
    }

    /** Whether the registry is looked at (and its change feed listened to). */
    boolean followsRegistry() {
        return uri != null;
    }

    /** The version the deployment serves now, to stamp a prediction with; null without a deployment. */
    ModelVersion servedNow() {
        return deployment == null ? null : deployment.version();
    }

    /** What is followed, for messages; null for nothing. */
    String describe() {
        return uri != null ? uri : deployment != null ? deployment.uri() + " as deployed" : null;
    }

    /** The subject to move to after a look at the registry, or null to stay on {@code now}. */
    MonitorSubject lookAgain(MonitorSubject now, String model) {
        if (uri == null) {
            return null;
        }
        try {
            ModelVersion version = registry.resolve(uri);
            MonitorSubject next = version.version() == now.version() ? null : MonitorSubject.following(tracker, version, options);
            failureLogged = false;
            return next;
        } catch (RunlogException e) {
            if (!failureLogged) {
                LOG.log(System.Logger.Level.WARNING, "monitor of " + model + " cannot read what " + uri
                        + " points to; it stays on v" + now.version() + " and looks again at each poll", e);
            }
            failureLogged = true;
            return null;
        }
    }

    /** The subject to move to for a prediction {@code served} by the deployment, or null to stay on {@code now}. */
    MonitorSubject served(MonitorSubject now, ModelVersion served) {
        if (served == null || served.version() == now.version()) {
            return null;
        }
        try {
            MonitorSubject next = MonitorSubject.following(tracker, served, options);
            failureLogged = false;
            return next;
        } catch (RunlogException e) {
            if (!failureLogged) {
                LOG.log(System.Logger.Level.WARNING, "monitor of " + deployment.uri() + " cannot monitor v" + served.version()
                        + ", which the deployment serves; its predictions count for v" + now.version() + " meanwhile", e);
            }
            failureLogged = true;
            return null;
        }
    }
}
