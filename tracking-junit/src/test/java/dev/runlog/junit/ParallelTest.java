package dev.runlog.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.Tracker;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One static extension shared by tests that run at the same time, and accessors called from other threads. */
class ParallelTest {

    @RegisterExtension
    static RunlogExtension runlog = RunlogExtension.inMemory();

    /** JUnit's configuration running every test and container at once, on {@code threads} threads. */
    private static Map<String, String> concurrently(int threads) {
        return Map.of("junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "concurrent",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", Integer.toString(threads));
    }

    @Test
    void aThreadTheTestStartsReachesTheTestsTrackerWhileNoOtherTestRuns(Tracker tracker) throws InterruptedException {
        AtomicReference<Object> seen = new AtomicReference<>();
        Thread worker = new Thread(() -> seen.set(runlog.tracker()));
        worker.start();
        worker.join(10_000);
        assertSame(tracker, seen.get());
    }

    static final List<Tracker> injected = new CopyOnWriteArrayList<>();
    static final List<Boolean> accessorGaveTheInjectedTracker = new CopyOnWriteArrayList<>();
    static final List<Object> fromOtherThread = new CopyOnWriteArrayList<>();

    @OnlyInEngineTestKit
    static class TwoTestsAtOnce {
        @RegisterExtension
        static RunlogExtension shared = RunlogExtension.inMemory();
        static final CyclicBarrier bothRunning = new CyclicBarrier(2);

        @Test
        void first(Tracker tracker) throws Exception {
            check(tracker);
        }

        @Test
        void second(Tracker tracker) throws Exception {
            check(tracker);
        }

        static void check(Tracker tracker) throws Exception {
            bothRunning.await(10, TimeUnit.SECONDS);
            injected.add(tracker);
            accessorGaveTheInjectedTracker.add(shared.tracker() == tracker);
            Thread worker = new Thread(() -> {
                try {
                    fromOtherThread.add(shared.tracker());
                } catch (RuntimeException e) {
                    fromOtherThread.add(e);
                }
            });
            worker.start();
            worker.join(10_000);
            bothRunning.await(10, TimeUnit.SECONDS); // neither ends before both have looked
        }
    }

    @Test
    void concurrentTestsEachReachTheirOwnTrackerAndOtherThreadsAreToldToUseParameters() {
        injected.clear();
        accessorGaveTheInjectedTracker.clear();
        fromOtherThread.clear();

        Scenarios.run(TwoTestsAtOnce.class, concurrently(2))
                .testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));

        assertEquals(2, injected.size());
        assertNotSame(injected.get(0), injected.get(1));
        assertEquals(List.of(true, true), accessorGaveTheInjectedTracker, "each test's own thread gets its own tracker");
        assertEquals(2, fromOtherThread.size());
        for (Object outcome : fromOtherThread) {
            InvalidInputException e = assertInstanceOf(InvalidInputException.class, outcome);
            assertEquals("RunlogExtension.tracker() was called on a thread that runs none of the 2 tests running now,"
                    + " so it cannot tell which test's store you mean; take a Tracker or ModelRegistry parameter in"
                    + " the test instead", e.getMessage());
        }
    }

    static final List<String> dynamicOutcomes = new CopyOnWriteArrayList<>();

    @OnlyInEngineTestKit
    static class FactoriesAtOnce {
        @RegisterExtension
        static RunlogExtension shared = RunlogExtension.inMemory();

        @TestFactory
        Stream<DynamicTest> first(Tracker tracker) {
            return dynamicTests("first", tracker);
        }

        @TestFactory
        Stream<DynamicTest> second(Tracker tracker) {
            return dynamicTests("second", tracker);
        }

        @TestFactory
        Stream<DynamicTest> third(Tracker tracker) {
            return dynamicTests("third", tracker);
        }

        static Stream<DynamicTest> dynamicTests(String factory, Tracker tracker) {
            tracker.createExperiment(factory);
            return IntStream.range(0, 8).mapToObj(i -> DynamicTest.dynamicTest(factory + i, () -> {
                Thread.sleep(15); // long enough for the three factories' tests to interleave on the workers
                Tracker seen = shared.tracker();
                dynamicOutcomes.add(seen == tracker ? "ok"
                        : factory + i + " on " + Thread.currentThread().getName() + " got a tracker with experiments "
                        + seen.searchExperiments().list().stream().map(e -> e.name()).toList());
            }));
        }
    }

    @Test
    void dynamicTestsReachTheirFactorysTrackerOnWhateverThreadRunsThem() {
        for (int round = 0; round < 3; round++) {
            dynamicOutcomes.clear();
            Scenarios.run(FactoriesAtOnce.class, concurrently(4))
                    .testEvents().assertStatistics(stats -> stats.started(24).succeeded(24));
            assertEquals(java.util.Collections.nCopies(24, "ok"), dynamicOutcomes, "round " + round);
        }
    }
}
