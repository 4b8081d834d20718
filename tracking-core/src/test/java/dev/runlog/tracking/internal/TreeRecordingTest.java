package dev.runlog.tracking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.ArtifactStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * logArtifacts of a tree records its files as it goes: small files stored before a large one are
 * recorded before the large one's upload starts, so they do not sit stored and unvouched for
 * (what runlog doctor reports) for as long as a checkpoint of gigabytes takes to upload.
 */
class TreeRecordingTest {
    @TempDir
    Path dir;

    @Test
    void smallFilesAreRecordedBeforeALargeOneIsStored() throws Exception {
        Path tree = Files.createDirectories(dir.resolve("tree"));
        for (int i = 0; i < 20; i++) {
            Files.writeString(Files.createDirectories(tree.resolve("a")).resolve("f" + i + ".txt"), "small " + i);
        }
        Files.write(Files.createDirectories(tree.resolve("b")).resolve("checkpoint.bin"), new byte[2 * 1024 * 1024]);

        InMemoryTrackingStore store = new InMemoryTrackingStore();
        ArtifactStore memory = ArtifactStore.inMemory();
        List<Integer> recordedWhenTheLargeFileCame = new ArrayList<>();
        String[] runId = new String[1];
        ArtifactStore watching = (ArtifactStore) Proxy.newProxyInstance(ArtifactStore.class.getClassLoader(),
                new Class<?>[] {ArtifactStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("put") && String.valueOf(args[1]).endsWith("checkpoint.bin")) {
                        recordedWhenTheLargeFileCame.add(store.recordedArtifacts(runId[0]).size());
                    }
                    try {
                        return method.invoke(memory, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        try (Tracker tracker = Tracker.builder().store(store, watching).shutdownHook(false).build();
             ActiveRun run = tracker.startRun("tree")) {
            runId[0] = run.id();
            run.logArtifacts(tree, "tree");
            assertEquals(List.of(20), recordedWhenTheLargeFileCame, "the 20 small files' records, before the large upload");
            assertEquals(21, store.recordedArtifacts(run.id()).stream().filter(e -> !e.isDirectory()).count());
        }
    }
}
