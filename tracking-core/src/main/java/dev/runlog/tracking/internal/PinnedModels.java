package dev.runlog.tracking.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The descriptors {@code pin} has parsed and found whole, by model URI and SHA-256 of their bytes,
 * so that registering a logged model again (another registered model, another CI run) reads and
 * hashes its descriptor but neither reads the run row again nor parses the JSON: a descriptor with
 * the same digest is the same descriptor. A descriptor whose bytes changed misses and is checked
 * from scratch; the payload files are listed and checked on every pin whatever this holds. Bounded,
 * least recently used first out; safe for concurrent use.
 */
final class PinnedModels {
    private static final int CAPACITY = 1_024;

    private record Entry(String descriptorSha256, ModelDescriptor descriptor) {
    }

    private final Map<ModelSupport.ModelUri, Entry> byUri = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ModelSupport.ModelUri, Entry> eldest) {
            return size() > CAPACITY;
        }
    };

    /** The descriptor pinned for {@code uri} with exactly this digest, or null. */
    synchronized ModelDescriptor get(ModelSupport.ModelUri uri, String descriptorSha256) {
        Entry entry = byUri.get(uri);
        return entry != null && entry.descriptorSha256().equals(descriptorSha256) ? entry.descriptor() : null;
    }

    synchronized void put(ModelSupport.ModelUri uri, String descriptorSha256, ModelDescriptor descriptor) {
        byUri.put(uri, new Entry(descriptorSha256, descriptor));
    }
}
