package dev.runlog.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.StoreException;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.StoreProvider;
import dev.runlog.tracking.spi.TrackingStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.http.HttpResponse;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * A store that fails while the server answers: clients get 503 and are told to try again later,
 * and not the store's own message, which names its files or its database host.
 */
class StoreOutageTest {
    private static final String SECRET = "/srv/private/team-store.db";
    private final HttpTestClient http = new HttpTestClient();

    @Test
    void bothApisAnswer503WithoutTheStoresMessage() throws Exception {
        StoreProvider memory = ServiceLoader.load(StoreProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.scheme().equals("memory")).findFirst().orElseThrow();
        StoreProvider.Stores stores = memory.open("memory:");
        TrackingStore failing = (TrackingStore) Proxy.newProxyInstance(TrackingStore.class.getClassLoader(),
                new Class<?>[] {TrackingStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getExperimentByName") || method.getName().equals("experimentSummaries")) {
                        throw new StoreException("The Runlog database " + SECRET + " failed: [SQLITE_IOERR] disk I/O error");
                    }
                    try {
                        return method.invoke(stores.tracking(), args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        try (Tracker tracker = Tracker.builder().store(failing, stores.artifacts()).shutdownHook(false).build();
             RunlogServer server = RunlogServer.start(tracker, ServerOptions.defaults().allowWrites(true))) {
            HttpResponse<String> mlflow = http.get(server.uri().resolve("api/2.0/mlflow/experiments/get-by-name?experiment_name=x"));
            assertEquals(503, mlflow.statusCode(), mlflow.body());
            assertTrue(mlflow.body().contains("\"error_code\":\"TEMPORARILY_UNAVAILABLE\"") && mlflow.body().contains("try again later"),
                    mlflow.body());
            HttpResponse<String> json = http.get(server.uri().resolve("api/experiments"));
            assertEquals(503, json.statusCode(), json.body());
            assertTrue(json.body().contains("\"error\":\"unavailable\"") && json.body().contains("try again later"), json.body());
            for (String body : new String[] {mlflow.body(), json.body()}) {
                assertFalse(body.contains("private") || body.contains("SQLITE"), body);
            }
        }
    }
}
