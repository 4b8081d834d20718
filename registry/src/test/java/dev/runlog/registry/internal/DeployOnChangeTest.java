package dev.runlog.registry.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.registry.DeployOptions;
import dev.runlog.registry.DeployedModel;
import dev.runlog.registry.DeploymentListener;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.Stage;
import dev.runlog.registry.spi.RegistryStore;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.ModelFlavor;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.TrackerAccess;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A deployment subscribes to its store's changes ({@link RegistryStore#subscribe}) and refreshes as
 * soon as the store calls, not at its next poll; closing the handle ends the subscription. The store
 * here is the in-memory one with a subscription the test drives by hand.
 */
class DeployOnChangeTest {

    @Test
    void aHandleRefreshesWhenItsStoreReportsAChangeAndUnsubscribesWhenClosed() throws Exception {
        List<Runnable> subscribers = new CopyOnWriteArrayList<>();
        RegistryStore memory = new InMemoryRegistryStore();
        RegistryStore store = (RegistryStore) Proxy.newProxyInstance(RegistryStore.class.getClassLoader(),
                new Class<?>[] {RegistryStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("subscribe")) {
                        Runnable subscriber = (Runnable) args[0];
                        subscribers.add(subscriber);
                        return (RegistryStore.Subscription) () -> subscribers.remove(subscriber);
                    }
                    try {
                        return method.invoke(memory, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        try (Tracker tracker = Tracker.inMemory()) {
            ModelRegistry registry = new DefaultModelRegistry(tracker, TrackerAccess.of(tracker), store, Clock.systemUTC());
            for (int v = 1; v <= 2; v++) {
                try (ActiveRun run = tracker.startRun("deploy")) {
                    registry.register("m", run.logModel("model", Map.of("version", v), ModelFlavor.json()).uri());
                }
            }
            registry.transition("m", 1, Stage.PRODUCTION);
            CountDownLatch swapped = new CountDownLatch(1);
            DeployedModel<Map> handle = registry.deploy("m", Stage.PRODUCTION, Map.class,
                    DeployOptions.defaults().pollInterval(Duration.ofHours(1)));
            handle.addListener(new DeploymentListener() {
                @Override
                public void swapped(ModelVersion previous, ModelVersion current) {
                    swapped.countDown();
                }
            });
            assertEquals(1, subscribers.size(), "the handle subscribed");

            registry.transition("m", 2, Stage.PRODUCTION);
            assertEquals(1, handle.version().version(), "nothing told the handle yet, and its poll is an hour away");
            subscribers.forEach(Runnable::run);
            assertTrue(swapped.await(10, TimeUnit.SECONDS), "no swap after the store reported the change");
            assertEquals(Map.of("version", 2), handle.get());

            handle.close();
            assertEquals(List.of(), subscribers, "closing the handle ended its subscription");
        }
    }
}
