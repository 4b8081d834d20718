package dev.runlog.tracking.spi;

import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.Tracker;
import java.time.Clock;

/**
 * The stores and clock behind a {@link Tracker}, for extensions that keep their own data beside the
 * tracking data, such as the model registry: it finds its store for {@link #tracking()} and stamps
 * its changes with {@link #clock()}, so a test's fixed clock governs both.
 *
 * <pre>{@code
 * TrackerStores stores = TrackerStores.of(tracker);
 * RegistryStore registry = provider.forTrackingStore(stores.tracking()).orElseThrow();
 * }</pre>
 *
 * @param tracking  the tracking store the tracker writes to
 * @param artifacts the artifact store the tracker writes to
 * @param clock     the tracker's clock
 */
public record TrackerStores(TrackingStore tracking, ArtifactStore artifacts, Clock clock) {
    public TrackerStores {
        InputRules.notNull("tracking", tracking);
        InputRules.notNull("artifacts", artifacts);
        InputRules.notNull("clock", clock);
    }

    /**
     * The stores of a tracker that offers {@link TrackerAccess}, as every tracker made by
     * {@code Tracker.open}, {@code Tracker.inMemory} or {@code Tracker.builder} does.
     *
     * @throws InvalidInputException for another implementation of {@link Tracker}, whose stores
     *                               cannot be known
     */
    public static TrackerStores of(Tracker tracker) {
        return TrackerAccess.of(tracker).stores();
    }
}
