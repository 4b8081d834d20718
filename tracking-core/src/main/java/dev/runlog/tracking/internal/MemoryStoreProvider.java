package dev.runlog.tracking.internal;

import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.spi.ArtifactStore;
import dev.runlog.tracking.spi.StoreProvider;

/** {@code memory:}: a fresh, private store per URI opened, artifacts included; nothing on disk. */
public final class MemoryStoreProvider implements StoreProvider {
    @Override
    public String scheme() {
        return "memory";
    }

    @Override
    public Stores open(String uri) {
        String rest = uri.substring(uri.indexOf(':') + 1);
        if (!rest.isEmpty()) {
            throw new InvalidInputException("Tracking URI '" + dev.runlog.tracking.spi.InputRules.hideOptionValues(uri) + "': the memory store takes no location; write 'memory:'");
        }
        return new Stores(new InMemoryTrackingStore(), ArtifactStore.inMemory());
    }
}
