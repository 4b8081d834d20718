package dev.runlog.tracking.internal.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.RunSearch;
import dev.runlog.tracking.spi.StoreProvider;
import dev.runlog.tracking.spi.TrackingStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** A store that breaks its page limit (the contract kit catches it) must not make a tracker lose runs. */
class LongPageTest {

    @Test
    void aStreamReadsOnAfterAPageLongerThanAsked() {
        StoreProvider.Stores memory = ServiceLoader.load(StoreProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(provider -> provider.scheme().equals("memory")).findFirst().orElseThrow().open("memory:");
        TrackingStore oneTooMany = (TrackingStore) Proxy.newProxyInstance(TrackingStore.class.getClassLoader(),
                new Class<?>[] {TrackingStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("searchRuns")) {
                        RunSearch asked = (RunSearch) args[0];
                        args = new Object[] {new RunSearch(asked.experimentIds(), asked.filter(), asked.orderBy(),
                                asked.limit() + 1, asked.after(), asked.viewType())};
                    }
                    try {
                        return method.invoke(memory.tracking(), args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        try (Tracker tracker = Tracker.builder().store(oneTooMany, memory.artifacts()).shutdownHook(false).build()) {
            int runs = PagedQuery.STREAM_PAGE + 100;
            for (int i = 0; i < runs; i++) {
                try (ActiveRun run = tracker.startRun("many")) {
                    run.logParam("i", i);
                }
            }
            assertEquals(runs, tracker.searchRuns().experiments("many").stream().count(), "stream()");
            assertEquals(runs, tracker.searchRuns().experiments("many").list().size(), "list()");
        }
    }
}
