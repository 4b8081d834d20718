package dev.runlog.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Threads racing to log models at one path of a run get one model, whole, and conflicts; never a
 * model whose payload is another thread's. Before the paths were claimed, most races stored a model
 * that failed its digest check on load.
 */
class ModelRaceTest {
    public record Weights(int a, int b) {
    }

    @Test
    void threadsLoggingAModelAtOnePathGetOneWholeModelAndConflicts() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (Tracker tracker = Tracker.builder().uri("memory:").shutdownHook(false).build()) {
            for (int trial = 0; trial < 20; trial++) {
                try (ActiveRun run = tracker.startRun("race")) {
                    CountDownLatch start = new CountDownLatch(1);
                    List<Future<LoggedModel>> calls = new ArrayList<>();
                    for (int i = 0; i < 4; i++) {
                        Weights weights = new Weights(i, i);
                        String path = i % 2 == 0 ? "race" : "race/inner"; // one path, and one inside it
                        calls.add(pool.submit(() -> {
                            start.await();
                            return run.logModel(path, weights);
                        }));
                    }
                    start.countDown();
                    LoggedModel logged = null;
                    int conflicts = 0;
                    for (Future<LoggedModel> call : calls) {
                        try {
                            LoggedModel model = call.get();
                            assertEquals(null, logged, "a second model was logged in trial " + trial);
                            logged = model;
                        } catch (java.util.concurrent.ExecutionException e) {
                            assertInstanceOf(ConflictException.class, e.getCause());
                            conflicts++;
                        }
                    }
                    assertNotNull(logged);
                    assertEquals(3, conflicts);
                    Weights loaded = tracker.loadModel(logged.uri(), Weights.class);
                    assertEquals(loaded.a(), loaded.b(), "a payload of one thread only");
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
