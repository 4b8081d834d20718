package dev.runlog.tracking.internal;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.RunlogException;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.ArtifactStore;
import dev.runlog.tracking.spi.StoreProvider;
import java.nio.file.Path;
import java.util.ServiceLoader;

/** Logs a file with a non-ASCII name into a directory store, in a JVM {@link AsciiLocaleTest} starts with LANG=C. */
public final class AsciiLocaleChild {
    private AsciiLocaleChild() {
    }

    public static void main(String[] args) {
        StoreProvider memory = ServiceLoader.load(StoreProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.scheme().equals("memory")).findFirst().orElseThrow();
        try (Tracker tracker = Tracker.builder().store(memory.open("memory:").tracking(), ArtifactStore.localFilesystem(Path.of(args[0])))
                .shutdownHook(false).build();
             ActiveRun run = tracker.startRun("e")) {
            System.out.println("ENCODING " + System.getProperty("sun.jnu.encoding"));
            try {
                run.logText("x", "caf\u00e9.txt");
                System.out.println("LOGGED");
            } catch (RunlogException e) {
                System.out.println("REFUSED " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
    }
}
