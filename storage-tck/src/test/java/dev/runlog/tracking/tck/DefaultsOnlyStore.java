package dev.runlog.tracking.tck;

import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.DatasetInput;
import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.ViewType;
import dev.runlog.tracking.spi.ArtifactStore;
import dev.runlog.tracking.spi.ExperimentSearch;
import dev.runlog.tracking.spi.RunSearch;
import dev.runlog.tracking.spi.RunSpec;
import dev.runlog.tracking.spi.StoreProvider;
import dev.runlog.tracking.spi.TrackingStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A store as a newcomer writes one from the README: only the SPI's abstract methods (here handed
 * to a {@code memory:} store), every optional method left to its default. The kits must pass it,
 * skipping what it does not implement ({@code defaults-only:} scheme, found like any store).
 */
public final class DefaultsOnlyStore implements TrackingStore {
    private final TrackingStore inner;

    DefaultsOnlyStore(TrackingStore inner) {
        this.inner = inner;
    }

    /** Registered in this module's test resources; opens a fresh store over a fresh {@code memory:} one. */
    public static final class Provider implements StoreProvider {
        @Override
        public String scheme() {
            return "defaults-only";
        }

        @Override
        public Stores open(String uri) {
            for (StoreProvider provider : ServiceLoader.load(StoreProvider.class)) {
                if (provider.scheme().equals("memory")) {
                    Stores memory = provider.open("memory:");
                    return new Stores(new DefaultsOnlyStore(memory.tracking()), ArtifactStore.inMemory());
                }
            }
            throw new IllegalStateException("no memory: store");
        }
    }

    @Override public Experiment createExperiment(String name, Instant creationTime) { return inner.createExperiment(name, creationTime); }
    @Override public Optional<Experiment> getExperiment(String experimentId) { return inner.getExperiment(experimentId); }
    @Override public Optional<Experiment> getExperimentByName(String name) { return inner.getExperimentByName(name); }
    @Override public List<Experiment> listExperiments(ViewType viewType) { return inner.listExperiments(viewType); }
    @Override public void setExperimentTag(String experimentId, String key, String value) { inner.setExperimentTag(experimentId, key, value); }
    @Override public void renameExperiment(String experimentId, String newName, Instant time) { inner.renameExperiment(experimentId, newName, time); }
    @Override public void renameRun(String runId, String newName) { inner.renameRun(runId, newName); }
    @Override public List<Run> searchRuns(RunSearch search) { return inner.searchRuns(search); }
    @Override public List<Experiment> searchExperiments(ExperimentSearch search) { return inner.searchExperiments(search); }
    @Override public void deleteExperiment(String experimentId, Instant time) { inner.deleteExperiment(experimentId, time); }
    @Override public void restoreExperiment(String experimentId, Instant time) { inner.restoreExperiment(experimentId, time); }
    @Override public void createRun(RunSpec spec) { inner.createRun(spec); }
    @Override public Optional<Run> getRun(String runId) { return inner.getRun(runId); }
    @Override public void logBatch(String runId, List<Metric> metrics, Map<String, String> params, Map<String, String> tags) { inner.logBatch(runId, metrics, params, tags); }
    @Override public void setTag(String runId, String key, String value) { inner.setTag(runId, key, value); }
    @Override public void deleteTag(String runId, String key) { inner.deleteTag(runId, key); }
    @Override public void logArtifacts(String runId, List<ArtifactEntry> files) { inner.logArtifacts(runId, files); }
    @Override public List<ArtifactEntry> recordedArtifacts(String runId) { return inner.recordedArtifacts(runId); }
    @Override public void logInputs(String runId, List<DatasetInput> inputs) { inner.logInputs(runId, inputs); }
    @Override public List<String> runsUsing(String datasetDigest) { return inner.runsUsing(datasetDigest); }
    @Override public List<Metric> metricHistory(String runId, String key) { return inner.metricHistory(runId, key); }
    @Override public void endRun(String runId, RunStatus status, Instant endTime) { inner.endRun(runId, status, endTime); }
    @Override public void deleteRun(String runId) { inner.deleteRun(runId); }
    @Override public void restoreRun(String runId) { inner.restoreRun(runId); }
    @Override public void close() { inner.close(); }
}
