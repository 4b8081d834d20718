package dev.runlog.tracking.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@link Plugins#load} walks the providers a context class loader lists. */
class PluginsTest {
    /** A service of this test's own, so only the providers listed below exist. */
    public interface Greeter {
        String name();
    }

    static final AtomicInteger SECOND_CREATED = new AtomicInteger();

    public static final class First implements Greeter {
        @Override
        public String name() {
            return "first";
        }
    }

    public static final class Second implements Greeter {
        public Second() {
            SECOND_CREATED.incrementAndGet();
        }

        @Override
        public String name() {
            return "second";
        }
    }

    @Test
    void providersAreCreatedOnlyWhenIterationReachesThem(@TempDir Path services) throws Exception {
        Path listing = services.resolve("META-INF/services/" + Greeter.class.getName());
        Files.createDirectories(listing.getParent());
        Files.writeString(listing, First.class.getName() + "\n" + Second.class.getName() + "\n");
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try (URLClassLoader application = new URLClassLoader(new URL[] {services.toUri().toURL()}, previous)) {
            thread.setContextClassLoader(application);
            Iterable<Greeter> greeters = Plugins.load(Greeter.class, loader -> ServiceLoader.load(Greeter.class, loader));
            SECOND_CREATED.set(0);
            // Finding a provider by name stops at it: the store lookup must not create every store on the class path.
            Greeter first = Plugins.providerFor(greeters, Greeter::name, "FIRST", available -> new IllegalStateException());
            assertEquals("first", first.name());
            assertEquals(0, SECOND_CREATED.get(), "the second provider was created before iteration reached it");

            Iterator<Greeter> all = greeters.iterator();
            assertEquals("first", all.next().name());
            assertTrue(all.hasNext());
            assertEquals("second", all.next().name());
            assertEquals(1, SECOND_CREATED.get());
            assertFalse(all.hasNext());
            assertThrows(NoSuchElementException.class, all::next);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
