package dev.runlog.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.registry.DeployOptions;
import dev.runlog.registry.Gate;
import dev.runlog.registry.Gates;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.TransitionOptions;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Dataset;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.ModelFlavor;
import dev.runlog.tracking.ModelOptions;
import dev.runlog.tracking.RunBody;
import dev.runlog.tracking.RunlogException;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.ArtifactStore;
import dev.runlog.tracking.spi.TrackingStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import dev.runlog.artifacts.s3.S3ArtifactStore;
import org.junit.jupiter.api.AfterEach;
import software.amazon.awssdk.services.s3.S3Client;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every exception Runlog throws on purpose is a {@link RunlogException}; a bad argument, null
 * included, is an {@link InvalidInputException}. Reflection over the public API of tracking-core,
 * registry, tracking-junit, artifacts-s3, monitoring and mlflow-import (every public class of their API and SPI packages, found on the
 * classpath) calls each public method and constructor with one null, or one bad number, at a time,
 * so a method added later is swept too.
 */
class PublicApiArgumentsTest {
    private static final List<String> PACKAGES = List.of("dev.runlog.tracking", "dev.runlog.tracking.spi",
            "dev.runlog.registry", "dev.runlog.registry.spi", "dev.runlog.junit", "dev.runlog.artifacts.s3",
            "dev.runlog.monitoring", "dev.runlog.mlflow");

    @TempDir
    Path dir;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private Tracker tracker;

    @AfterEach
    void close() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    @Test
    void theDefectsFoundByTestersAreInvalidInput() {
        assertInvalid(() -> Tracker.builder().uri(null), "uri");
        assertInvalid(() -> ModelOptions.defaults().flavor(null), "flavor");
        assertInvalid(() -> Tracker.builder().bufferCapacity(0), "bufferCapacity");
        assertInvalid(() -> Tracker.builder().store(proxy(TrackingStore.class), ArtifactStore.inMemory()).uri("memory:"),
                "a URI or a store, not both");
        Tracker custom = open(Tracker.builder().store(proxy(TrackingStore.class), ArtifactStore.inMemory())
                .shutdownHook(false).build());
        assertInvalid(() -> ModelRegistry.of(custom), "RegistryStoreProvider");
    }

    @Test
    void everyPublicMethodAndConstructorTurnsNullsAndBadNumbersIntoInvalidInput() throws Exception {
        tracker = open(Tracker.builder().uri("memory:").shutdownHook(false).build());
        ActiveRun run = tracker.startRun("sweep");
        ModelRegistry registry = ModelRegistry.of(tracker);
        // Model "x" version 1 exists, so a call whose one bad argument is allowed (a null
        // description) succeeds rather than failing on a missing model.
        registry.register("x", run.logModel("model", Map.of("w", 1.0)).uri());
        // A client that answers nothing: a call that reached it would fail the sweep, not S3.
        S3Client s3 = proxy(S3Client.class);
        Map<Class<?>, Object> receivers = Map.ofEntries(Map.entry(Tracker.class, tracker), Map.entry(ActiveRun.class, run),
                Map.entry(ModelRegistry.class, registry), Map.entry(Tracker.Builder.class, Tracker.builder()),
                Map.entry(dev.runlog.tracking.RunBuilder.class, tracker.newRun("sweep")),
                Map.entry(dev.runlog.tracking.RunQuery.class, tracker.searchRuns()),
                Map.entry(dev.runlog.tracking.ExperimentQuery.class, tracker.searchExperiments()),
                Map.entry(RunlogExtension.class, RunlogExtension.inMemory()),
                Map.entry(S3ArtifactStore.class, closeAfter(S3ArtifactStore.builder(s3, "bucket").build())),
                Map.entry(S3ArtifactStore.Builder.class, S3ArtifactStore.builder(s3, "bucket")),
                Map.entry(dev.runlog.monitoring.Reference.class, dev.runlog.monitoring.Reference.of(Map.of(), Map.of())),
                Map.entry(dev.runlog.monitoring.Reference.Builder.class, dev.runlog.monitoring.Reference.builder(List.of())),
                Map.entry(dev.runlog.monitoring.DriftOptions.class, dev.runlog.monitoring.DriftOptions.defaults()),
                Map.entry(dev.runlog.mlflow.MlflowImport.class, dev.runlog.mlflow.MlflowImport.from("mlruns")),
                Map.entry(dev.runlog.monitoring.MonitorOptions.class, dev.runlog.monitoring.MonitorOptions.defaults()),
                Map.entry(dev.runlog.monitoring.ModelMonitor.class, closeAfter(dev.runlog.monitoring.ModelMonitor.forReference(
                        tracker, "sweep", dev.runlog.monitoring.Reference.of(Map.of(), Map.of()),
                        dev.runlog.monitoring.MonitorOptions.defaults()))));
        List<String> escaped = new ArrayList<>();
        int calls = 0;
        for (Class<?> type : publicApiClasses()) {
            List<Executable> members = new ArrayList<>();
            for (Method m : type.getDeclaredMethods()) {
                boolean instance = !Modifier.isStatic(m.getModifiers());
                boolean enumValueOf = type.isEnum() && m.getName().equals("valueOf"); // the JDK's, not ours
                if (Modifier.isPublic(m.getModifiers()) && !m.isSynthetic() && !enumValueOf && !isJUnitCallback(m)
                        && (!instance || receivers.containsKey(type))) {
                    members.add(m);
                }
            }
            if (!type.isInterface() && !Modifier.isAbstract(type.getModifiers()) && !RunlogException.class.isAssignableFrom(type)) {
                for (Constructor<?> c : type.getConstructors()) {
                    members.add(c);
                }
            }
            for (Executable member : members) {
                Parameter[] params = member.getParameters();
                for (int i = 0; i < params.length; i++) {
                    for (Object bad : badValues(params[i].getType())) {
                        Object[] args = new Object[params.length];
                        for (int j = 0; j < params.length; j++) {
                            args[j] = j == i ? bad : sample(params[j].getType());
                        }
                        calls++;
                        Throwable thrown = invoke(member, receivers.get(type), args);
                        // An assertion on null fails as an assertion: that is what assertThat is for.
                        boolean assertionOnNull = thrown instanceof AssertionError && type == RunlogAssertions.class;
                        if (thrown != null && !(thrown instanceof InvalidInputException) && !assertionOnNull) {
                            escaped.add(member + " with " + params[i].getName() + " = " + bad + ": " + thrown);
                        }
                    }
                }
            }
        }
        assertTrue(calls > 300, "the sweep found only " + calls + " calls; is the classpath scan broken?");
        assertEquals(List.of(), escaped, "bad arguments must be InvalidInputException");
    }

    /** JUnit's extension callbacks: the engine calls them, never with null. */
    private static boolean isJUnitCallback(Method m) {
        for (Class<?> i : m.getDeclaringClass().getInterfaces()) {
            if (i.getName().startsWith("org.junit.")) {
                try {
                    i.getMethod(m.getName(), m.getParameterTypes());
                    return true;
                } catch (NoSuchMethodException notThisOne) {
                    // keep looking
                }
            }
        }
        return false;
    }

    private static void assertInvalid(org.junit.jupiter.api.function.Executable call, String mentions) {
        InvalidInputException e = assertThrows(InvalidInputException.class, call);
        assertTrue(e.getMessage().contains(mentions), e.getMessage());
    }

    private <T extends AutoCloseable> T closeAfter(T resource) {
        opened.add(resource);
        return resource;
    }

    private Tracker open(Tracker t) {
        opened.add(t);
        return t;
    }

    /** Null for a reference, and numbers no method can mean (zero, negative, NaN) for the rest. */
    private static List<Object> badValues(Class<?> type) {
        if (type == int.class) {
            return List.of(0, -1);
        }
        if (type == long.class) {
            return List.of(0L, -1L);
        }
        if (type == double.class) {
            return List.of(Double.NaN);
        }
        if (type == Duration.class) {
            return java.util.Arrays.asList(null, Duration.ofSeconds(-1));
        }
        if (type.isPrimitive()) {
            return List.of();
        }
        return java.util.Collections.singletonList(null);
    }

    /** A valid-looking value of each type, so that the one bad argument is what the call trips on. */
    private Object sample(Class<?> type) {
        if (type == String.class) {
            return "x";
        }
        if (type == int.class || type == Integer.class) {
            return 1;
        }
        if (type == long.class || type == Long.class) {
            return 1L;
        }
        if (type == double.class || type == Double.class) {
            return 1.0;
        }
        if (type == boolean.class || type == Boolean.class) {
            return false;
        }
        if (type.isEnum()) {
            return type.getEnumConstants()[0];
        }
        if (type.isArray()) {
            return java.lang.reflect.Array.newInstance(type.getComponentType(), 0);
        }
        if (type == Duration.class) {
            return Duration.ofSeconds(1);
        }
        if (type == java.time.Instant.class) {
            return java.time.Instant.EPOCH;
        }
        if (type == Clock.class) {
            return Clock.systemUTC();
        }
        if (type == Path.class) {
            return dir.resolve("sample");
        }
        if (type == Class.class) {
            return Object.class;
        }
        if (type == List.class || type == Collection.class) {
            return List.of();
        }
        if (type == Map.class) {
            return Map.of();
        }
        if (type == Set.class) {
            return Set.of();
        }
        if (type == java.util.Optional.class) {
            return java.util.Optional.empty();
        }
        if (type == URI.class) {
            return URI.create("memory:");
        }
        if (type == Object.class) {
            return "x";
        }
        if (type == ModelFlavor.class) {
            return ModelFlavor.json();
        }
        if (type == ModelOptions.class) {
            return ModelOptions.defaults();
        }
        if (type == DeployOptions.class) {
            return DeployOptions.defaults();
        }
        if (type == dev.runlog.monitoring.DriftOptions.class) {
            return dev.runlog.monitoring.DriftOptions.defaults();
        }
        if (type == TransitionOptions.class) {
            return TransitionOptions.defaults();
        }
        if (type == Gate.class) {
            return Gates.metricAtLeast("x", 0);
        }
        if (type == RunBody.class) {
            return (RunBody) r -> { };
        }
        if (type == ArtifactStore.class) {
            return ArtifactStore.inMemory();
        }
        if (type == Tracker.class) {
            return tracker;
        }
        if (type == Dataset.class) {
            return new Dataset("d", "digest", "source", List.of(), new Dataset.Profile(0, Map.of()));
        }
        if (type == dev.runlog.tracking.spi.SearchFilter.class) {
            return new dev.runlog.tracking.spi.SearchFilter.All();
        }
        if (type.isInterface() && !type.isSealed()) {
            return proxy(type);
        }
        return null; // a record of the API: null is the only value the sweep can build blindly
    }

    /** An implementation answering every call with null, zero or false. */
    private static <T> T proxy(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> {
            if (m.getName().equals("toString")) {
                return "proxy " + type.getSimpleName();
            }
            Class<?> r = m.getReturnType();
            if (!r.isPrimitive() || r == void.class) {
                return null;
            }
            // Each branch boxes its own type; one ?: chain would unbox them all to double.
            if (r == boolean.class) {
                return Boolean.FALSE;
            }
            if (r == int.class) {
                return 0;
            }
            if (r == long.class) {
                return 0L;
            }
            return 0.0;
        }));
    }

    /** Calls, closing what the call opened; returns what it threw, or null. */
    private Throwable invoke(Executable member, Object receiver, Object[] args) {
        try {
            Object result = member instanceof Method m ? m.invoke(receiver, args) : ((Constructor<?>) member).newInstance(args);
            if (result instanceof AutoCloseable c && !(result instanceof Tracker t && t == tracker)) {
                opened.add(c);
            }
            return null;
        } catch (InvocationTargetException e) {
            return e.getCause();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(member + " could not be called: " + e, e);
        }
    }

    /** The top-level and nested public classes of the API and SPI packages, read from each module's classes. */
    private static List<Class<?>> publicApiClasses() throws IOException, URISyntaxException {
        Set<String> names = new TreeSet<>();
        for (Class<?> module : List.of(Tracker.class, ModelRegistry.class, RunlogExtension.class,
                dev.runlog.artifacts.s3.S3ArtifactStore.class, dev.runlog.monitoring.Reference.class,
                dev.runlog.mlflow.MlflowImport.class)) {
            Path location = Paths.get(module.getProtectionDomain().getCodeSource().getLocation().toURI());
            List<String> entries = new ArrayList<>();
            if (Files.isDirectory(location)) {
                try (Stream<Path> files = Files.walk(location)) {
                    files.forEach(f -> entries.add(location.relativize(f).toString().replace('\\', '/')));
                }
            } else {
                try (java.util.jar.JarFile jar = new java.util.jar.JarFile(location.toFile())) {
                    jar.stream().forEach(e -> entries.add(e.getName()));
                }
            }
            for (String entry : entries) {
                int slash = entry.lastIndexOf('/');
                if (entry.endsWith(".class") && slash > 0
                        && PACKAGES.contains(entry.substring(0, slash).replace('/', '.'))) {
                    names.add(entry.substring(0, entry.length() - ".class".length()).replace('/', '.'));
                }
            }
        }
        List<Class<?>> classes = new ArrayList<>();
        for (String name : names) {
            try {
                Class<?> type = Class.forName(name, false, PublicApiArgumentsTest.class.getClassLoader());
                if (!type.isAnonymousClass() && isPublicAllTheWay(type)) {
                    classes.add(type);
                }
            } catch (ClassNotFoundException e) {
                throw new UncheckedIOException(new IOException(e));
            }
        }
        return classes;
    }

    private static boolean isPublicAllTheWay(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getDeclaringClass()) {
            if (!Modifier.isPublic(t.getModifiers())) {
                return false;
            }
        }
        return true;
    }
}
