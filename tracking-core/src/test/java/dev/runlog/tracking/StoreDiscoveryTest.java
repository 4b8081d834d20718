package dev.runlog.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Stores are chosen by URI scheme; a missing one is named with the module that brings it. */
class StoreDiscoveryTest {
    @AfterEach
    void clearProperty() {
        System.clearProperty(Tracker.URI_PROPERTY);
    }

    @Test
    void aSchemeWithoutItsModuleIsNamedWithoutTheUrisPassword() {
        // storage-postgres is not on tracking-core's test class path.
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Tracker.open("postgresql://runlog:topsecret4@db.example.com/runlog"));
        assertTrue(e.getMessage().contains("dev.runlog:storage-postgres"), e.getMessage());
        assertTrue(!e.getMessage().contains("topsecret4"), e.getMessage());
    }

    @Test
    void sqliteWithoutItsModuleNamesTheModuleToAdd() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Tracker.open("sqlite:runs.db"));
        assertTrue(e.getMessage().contains("'sqlite'"), e.getMessage());
        assertTrue(e.getMessage().contains("dev.runlog:storage-sqlite"), e.getMessage());
    }

    @Test
    void unknownSchemeIsNamed() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Tracker.open("postgres://db/runs"));
        assertTrue(e.getMessage().contains("'postgres'"), e.getMessage());
        assertTrue(e.getMessage().contains("memory"), "lists the schemes that are available: " + e.getMessage());
    }

    @Test
    void uriWithoutSchemeIsRejected() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Tracker.open("runs.db"));
        assertTrue(e.getMessage().contains("no scheme"), e.getMessage());
    }

    @Test
    void openWithoutArgumentsReadsTheSystemPropertyFirst() {
        System.setProperty(Tracker.URI_PROPERTY, "memory:");
        try (Tracker tracker = Tracker.open()) {
            assertEquals(0, tracker.listExperiments().size());
        }
        System.setProperty(Tracker.URI_PROPERTY, "nosuch:x");
        InvalidInputException e = assertThrows(InvalidInputException.class, Tracker::open);
        assertTrue(e.getMessage().contains("'nosuch'"), e.getMessage());
    }

    @Test
    void eachMemoryTrackerIsPrivate() {
        try (Tracker a = Tracker.inMemory(); Tracker b = Tracker.inMemory()) {
            a.createExperiment("only-in-a");
            assertTrue(a.getExperimentByName("only-in-a").isPresent());
            assertTrue(b.getExperimentByName("only-in-a").isEmpty());
        }
    }

    /**
     * A pool thread made elsewhere, or a plugin host's module layer, may give a context class
     * loader that cannot see Runlog: its own stores are still found, through its own loader.
     */
    @Test
    void runlogsOwnStoresAreFoundWhenTheContextClassLoaderCannotSeeRunlog() throws IOException {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try (URLClassLoader blind = new URLClassLoader(new URL[0], null)) {
            thread.setContextClassLoader(blind);
            try (Tracker tracker = Tracker.open("memory:")) {
                assertEquals(0, tracker.listExperiments().size());
            }
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
