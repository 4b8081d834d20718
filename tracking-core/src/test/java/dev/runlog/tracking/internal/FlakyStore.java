package dev.runlog.tracking.internal;

import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.DatasetInput;
import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.StoreException;
import dev.runlog.tracking.ViewType;
import dev.runlog.tracking.spi.RunSpec;
import dev.runlog.tracking.spi.TrackingStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory store whose batch writes fail while {@link #failing} is set, as a database does
 * while its disk is full or its file is locked. Counts points it took and batches it refused.
 */
class FlakyStore implements TrackingStore {
    final InMemoryTrackingStore delegate = new InMemoryTrackingStore();
    volatile boolean failing;
    final AtomicInteger refusedBatches = new AtomicInteger();
    final AtomicInteger storedPoints = new AtomicInteger();
    final Map<String, RunStatus> endedRuns = new java.util.concurrent.ConcurrentHashMap<>();
    /** When set, batch writes wait for it before doing anything: holds the writer mid-batch. */
    volatile java.util.concurrent.CountDownLatch gate;
    /** When set with {@link #runGate}, batch writes of this run only wait for it, after counting down {@link #gatedRunEntered}. */
    volatile String gatedRun;
    volatile java.util.concurrent.CountDownLatch runGate;
    final java.util.concurrent.CountDownLatch gatedRunEntered = new java.util.concurrent.CountDownLatch(1);
    /** Counted down at each refused batch: lets a test wait for refusals without sleeping. */
    volatile java.util.concurrent.CountDownLatch refusals = new java.util.concurrent.CountDownLatch(0);

    @Override
    public void renameExperiment(String experimentId, String newName, Instant time) {
        delegate.renameExperiment(experimentId, newName, time);
    }

    @Override
    public void renameRun(String runId, String newName) {
        delegate.renameRun(runId, newName);
    }

    @Override
    public void setTag(String runId, String key, String value) {
        delegate.setTag(runId, key, value);
    }

    @Override
    public void deleteTag(String runId, String key) {
        delegate.deleteTag(runId, key);
    }

    @Override
    public void logBatch(String runId, List<Metric> metrics, Map<String, String> params, Map<String, String> tags) {
        java.util.concurrent.CountDownLatch g = gate;
        if (g != null) {
            try {
                g.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (runId.equals(gatedRun)) {
            gatedRunEntered.countDown();
            try {
                runGate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (failing) {
            refusedBatches.incrementAndGet();
            refusals.countDown();
            throw new StoreException("disk full (simulated)");
        }
        delegate.logBatch(runId, metrics, params, tags);
        storedPoints.addAndGet(metrics.size());
    }

    @Override
    public Experiment createExperiment(String name, Instant creationTime) {
        return delegate.createExperiment(name, creationTime);
    }

    @Override
    public Optional<Experiment> getExperiment(String experimentId) {
        return delegate.getExperiment(experimentId);
    }

    @Override
    public Optional<Experiment> getExperimentByName(String name) {
        return delegate.getExperimentByName(name);
    }

    @Override
    public List<Experiment> listExperiments(ViewType viewType) {
        return delegate.listExperiments(viewType);
    }

    @Override
    public void setExperimentTag(String experimentId, String key, String value) {
        delegate.setExperimentTag(experimentId, key, value);
    }

    @Override
    public List<Run> searchRuns(dev.runlog.tracking.spi.RunSearch search) {
        return delegate.searchRuns(search);
    }

    @Override
    public List<Experiment> searchExperiments(dev.runlog.tracking.spi.ExperimentSearch search) {
        return delegate.searchExperiments(search);
    }

    @Override
    public void deleteExperiment(String experimentId, Instant time) {
        delegate.deleteExperiment(experimentId, time);
    }

    @Override
    public void restoreExperiment(String experimentId, Instant time) {
        delegate.restoreExperiment(experimentId, time);
    }

    @Override
    public void createRun(RunSpec spec) {
        delegate.createRun(spec);
    }

    @Override
    public Optional<Run> getRun(String runId) {
        return delegate.getRun(runId);
    }

    @Override
    public void logArtifacts(String runId, List<ArtifactEntry> files) {
        delegate.logArtifacts(runId, files);
    }

    @Override
    public List<ArtifactEntry> recordedArtifacts(String runId) {
        return delegate.recordedArtifacts(runId);
    }

    @Override
    public void logInputs(String runId, List<DatasetInput> inputs) {
        delegate.logInputs(runId, inputs);
    }

    @Override
    public List<String> runsUsing(String datasetDigest) {
        return delegate.runsUsing(datasetDigest);
    }

    @Override
    public List<Metric> metricHistory(String runId, String key) {
        return delegate.metricHistory(runId, key);
    }

    @Override
    public void endRun(String runId, RunStatus status, Instant endTime) {
        delegate.endRun(runId, status, endTime);
        endedRuns.put(runId, status);
    }

    @Override
    public void deleteRun(String runId) {
        delegate.deleteRun(runId);
    }

    @Override
    public void restoreRun(String runId) {
        delegate.restoreRun(runId);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
