package dev.runlog.tracking.internal;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.ArtifactStore;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Run in a child JVM by {@link InterruptedExportTest}: exports a run into {@code args[0]} whose
 * file stops half-way through being read, and exits (as Ctrl-C does) while the export waits there.
 */
public final class InterruptedExportChild {
    public static void main(String[] args) throws Exception {
        CountDownLatch midway = new CountDownLatch(1);
        ArtifactStore memory = ArtifactStore.inMemory();
        ArtifactStore stalling = (ArtifactStore) Proxy.newProxyInstance(ArtifactStore.class.getClassLoader(),
                new Class<?>[] {ArtifactStore.class}, (proxy, method, arguments) -> {
                    try {
                        Object result = method.invoke(memory, arguments);
                        if (method.getName().equals("open")) {
                            return new FilterInputStream((InputStream) result) {
                                @Override
                                public int read(byte[] b, int off, int len) throws IOException {
                                    midway.countDown();
                                    try {
                                        Thread.sleep(Long.MAX_VALUE); // a slow disk, a big file
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                    return -1;
                                }
                            };
                        }
                        return result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Tracker tracker = Tracker.builder().store(new InMemoryTrackingStore(), stalling).build();
        String id;
        try (ActiveRun run = tracker.startRun("big")) {
            run.logText("a file the export is reading when the JVM stops", "notes.txt");
            id = run.id();
        }
        Thread export = new Thread(() -> tracker.exportRun(id, Path.of(args[0]).resolve("run.tar.gz")), "export");
        export.setDaemon(true);
        export.start();
        midway.await();
        System.out.println("MIDWAY");
        System.out.flush();
        System.exit(130);
    }
}
