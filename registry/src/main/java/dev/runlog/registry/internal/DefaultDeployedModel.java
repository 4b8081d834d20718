package dev.runlog.registry.internal;

import dev.runlog.registry.DeployOptions;
import dev.runlog.registry.DeployedModel;
import dev.runlog.registry.DeploymentListener;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.spi.RegistryStore;
import dev.runlog.tracking.StoreException;
import dev.runlog.tracking.spi.InputRules;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Follows a stage or alias by polling the store, which is what sees promotions made by other
 * processes too; one daemon thread per handle, so a slow load delays only this handle. A store that
 * hears changes as they commit ({@link RegistryStore#subscribe}, PostgreSQL's LISTEN/NOTIFY) wakes
 * that thread at once; the poll stays, for the changes a store could not report.
 */
final class DefaultDeployedModel<T> implements DeployedModel<T> {
    private static final System.Logger LOG = System.getLogger(DefaultDeployedModel.class.getName());

    /** The served model and its version, swapped together so readers never see a mismatched pair. */
    private record Live<T>(ModelVersion version, T model) {
    }

    private final DefaultModelRegistry registry;
    private final ModelsUri uri;
    private final Class<T> type;
    private final DeployOptions options;
    private final List<DeploymentListener> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService poller;
    private final Object refreshLock = new Object();
    // A refresh the store's change feed asked for is queued and not yet started: more wake-ups add none.
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    private volatile RegistryStore.Subscription subscription = () -> { };
    private volatile Live<T> live;
    // Set by close() under refreshLock: a refresh after it neither loads nor swaps.
    private boolean closed;
    // What failed last, so that a failure persisting across polls is reported once.
    private String lastFailure;

    private DefaultDeployedModel(DefaultModelRegistry registry, ModelsUri uri, Class<T> type, DeployOptions options,
                                 Live<T> first) {
        this.registry = registry;
        this.uri = uri;
        this.type = type;
        this.options = options;
        this.live = first;
        this.poller = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "runlog-deploy " + uri);
            thread.setDaemon(true);
            return thread;
        });
    }

    static <T> DeployedModel<T> start(DefaultModelRegistry registry, ModelsUri uri, Class<T> type,
                                      DeployOptions options) {
        ModelVersion version = registry.resolve(uri);
        T model = registry.load(version, type, options.flavor().orElse(null));
        DefaultDeployedModel<T> handle = new DefaultDeployedModel<>(registry, uri, type, options,
                new Live<>(version, model));
        long period = options.pollInterval().toNanos();
        handle.poller.scheduleWithFixedDelay(handle::poll, period, period, TimeUnit.NANOSECONDS);
        // After the first resolve: a store reports a change committed before it listened by calling once it does.
        handle.subscription = registry.subscribe(handle::wake);
        return handle;
    }

    @Override
    public T get() {
        return live.model();
    }

    @Override
    public ModelVersion version() {
        return live.version();
    }

    @Override
    public String uri() {
        return uri.toString();
    }

    @Override
    public void addListener(DeploymentListener listener) {
        listeners.add(InputRules.notNull("listener", listener));
    }

    @Override
    public boolean refresh() {
        synchronized (refreshLock) {
            if (closed) {
                return false;
            }
            Live<T> current = live;
            ModelVersion next;
            try {
                next = registry.find(uri);
            } catch (RuntimeException e) {
                report(null, e, "resolve:" + e.getClass().getName() + ":" + e.getMessage());
                return false;
            }
            if (sameVersion(current.version(), next)) {
                // The model in memory is still the one registered; say so if its files no longer are.
                try {
                    registry.checkDescriptor(next);
                } catch (RuntimeException e) {
                    report(next, e, "check:" + next.name() + "/" + next.version() + "/" + next.source());
                    return false;
                }
                lastFailure = null;
                return false;
            }
            T model;
            try {
                model = registry.load(next, type, options.flavor().orElse(null));
            } catch (RuntimeException e) {
                report(next, e, "load:" + next.name() + "/" + next.version() + "/" + next.source());
                return false;
            }
            live = new Live<>(next, model);
            lastFailure = null;
            LOG.log(System.Logger.Level.INFO, () -> uri + ": now serving version " + next.version()
                    + " (was " + current.version().version() + ")");
            for (DeploymentListener listener : listeners) {
                try {
                    listener.swapped(current.version(), next);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "deployment listener failed", e);
                }
            }
            // The handle owned the old model's copy (a files-flavor Path); no longer served, it goes.
            registry.release(current.model());
            return true;
        }
    }

    private void poll() {
        try {
            refresh();
        } catch (RuntimeException | Error e) {
            // Never let the scheduled task die: a dead poller would silently freeze the deployment.
            LOG.log(System.Logger.Level.ERROR, uri + ": unexpected failure while polling", e);
        }
    }

    /** Called by the store when a change committed: refreshes on the handle's own thread, now. */
    private void wake() {
        if (wakeQueued.compareAndSet(false, true)) {
            try {
                poller.execute(() -> {
                    wakeQueued.set(false);
                    poll();
                });
            } catch (RejectedExecutionException e) {
                wakeQueued.set(false); // closed meanwhile: nothing to refresh
            }
        }
    }

    /** Same registered version: same name and number, and the same source, since a deleted and re-created model restarts at 1. */
    private static boolean sameVersion(ModelVersion a, ModelVersion b) {
        return a.name().equals(b.name()) && a.version() == b.version() && a.source().equals(b.source());
    }

    private void report(ModelVersion attempted, RuntimeException error, String key) {
        if (Objects.equals(key, lastFailure)) {
            return;
        }
        lastFailure = key;
        RuntimeException reported = error instanceof dev.runlog.tracking.RunlogException ? error
                : new StoreException(uri + ": " + error, error);
        LOG.log(System.Logger.Level.WARNING, () -> uri + ": keeps serving version " + live.version().version()
                + (attempted == null ? "" : "; loading version " + attempted.version() + " failed") + ": "
                + error.getMessage());
        for (DeploymentListener listener : listeners) {
            try {
                listener.failed(attempted, reported);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "deployment listener failed", e);
            }
        }
    }

    @Override
    public void close() {
        subscription.close();
        poller.shutdownNow();
        // Waits for a refresh in progress, so that a model it loads is not left behind undeleted.
        synchronized (refreshLock) {
            if (!closed) {
                closed = true;
                registry.release(live.model());
            }
        }
    }

    @Override
    public String toString() {
        return "DeployedModel[" + uri + " -> version " + live.version().version() + "]";
    }
}
