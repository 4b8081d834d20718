package dev.runlog.junit;

import dev.runlog.junit.internal.TestResources;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.InputRules;
import java.lang.reflect.Method;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * A JUnit 5 extension that gives each test its own fresh Runlog {@link Tracker} and
 * {@link ModelRegistry}, and closes and deletes them when the test is over, passed or failed.
 *
 * <p><b>Declarative form</b>: an in-memory store per test, injected into parameters of type
 * {@code Tracker} or {@code ModelRegistry}.
 *
 * <pre>{@code
 * @ExtendWith(RunlogExtension.class)
 * class TrainerTest {
 *     @Test
 *     void logsTheLearningRate(Tracker tracker) {
 *         Run run = tracker.run("iris", r -> new Trainer(0.1).train(r));
 *         RunlogAssertions.assertThat(run).hasParam("lr", 0.1);
 *     }
 * }
 * }</pre>
 *
 * <p><b>Programmatic form</b>: choose the store, and reach it through the field as well.
 *
 * <pre>{@code
 * class PipelineTest {
 *     @RegisterExtension
 *     static RunlogExtension runlog = RunlogExtension.sqlite();
 *
 *     @Test
 *     void pipelineOpensItsOwnTracker() {
 *         Pipeline.main("--tracking-uri", runlog.storeUri());      // a fresh temporary SQLite file
 *         assertEquals(1, runlog.tracker().searchRuns().experiments("etl").page().runs().size());
 *     }
 * }
 * }</pre>
 *
 * <p>The field may also be an instance field; the extension then works from {@code @BeforeEach}
 * on, so it cannot supply constructor parameters.
 *
 * <p><b>Contract.</b>
 * <ul>
 *   <li>Each test (each invocation of a {@code @ParameterizedTest} or {@code @RepeatedTest}, each
 *       test of a {@code @Nested} class) gets its own store; nothing a test logs is visible to
 *       another.</li>
 *   <li>Within one test, every injection point and accessor gives the same instances: a
 *       {@code @BeforeEach} parameter, the test's own parameter, an {@code @AfterEach} parameter,
 *       a test-class constructor parameter (with the default per-method test instance lifecycle)
 *       and {@link #tracker()} are one tracker.</li>
 *   <li>The store is made on first use. After the test, once every {@code @AfterEach} method and
 *       {@code AfterEachCallback} has run, the tracker is closed (so runs left active end KILLED)
 *       and, for SQLite, the temporary directory with the database file, its journal files and
 *       its artifacts is deleted. This happens whether the test passed or failed; a failure to
 *       close or delete is reported as a failure of the test.</li>
 *   <li>There is no store outside a test: a {@code Tracker} parameter of an {@code @BeforeAll}
 *       or {@code @AfterAll} method, or of the constructor of a {@code PER_CLASS} test class, is
 *       refused with a {@link ParameterResolutionException}, and the accessors throw
 *       {@link dev.runlog.tracking.InvalidInputException} there, saying where a store exists.</li>
 *   <li>Register one {@code RunlogExtension} per test class: two would compete to resolve the
 *       same parameters.</li>
 * </ul>
 *
 * <p>An instance's settings never change, and one instance may serve tests that run in parallel;
 * {@link #tracker()} then answers for the test running on the calling thread (take a parameter
 * instead when a test hands work to other threads while other tests run). The dynamic tests of a
 * {@code @TestFactory} share the factory's tracker, whichever of JUnit's threads runs them.
 */
public final class RunlogExtension implements BeforeEachCallback, ParameterResolver, InvocationInterceptor {

    private final TestResources.Kind kind;
    private final Clock clock;
    private final ExtensionContext.Namespace namespace;
    private final ThreadLocal<TestResources> onThisThread = new ThreadLocal<>();
    private final Set<TestResources> open = ConcurrentHashMap.newKeySet();

    /**
     * The in-memory form; the constructor JUnit calls for {@code @ExtendWith(RunlogExtension.class)}.
     * In code, {@link #inMemory()} says the same more clearly.
     */
    public RunlogExtension() {
        this(TestResources.Kind.MEMORY, null);
    }

    private RunlogExtension(TestResources.Kind kind, Clock clock) {
        this.kind = kind;
        this.clock = clock;
        this.namespace = ExtensionContext.Namespace.create(RunlogExtension.class, this);
    }

    /**
     * Each test gets a fresh in-memory store ({@code memory:}): fast, and nothing is left on disk
     * (logging or loading a model passes through a temporary directory, deleted after).
     */
    public static RunlogExtension inMemory() {
        return new RunlogExtension(TestResources.Kind.MEMORY, null);
    }

    /**
     * Each test gets a fresh SQLite file, {@code runlog.db} in a new temporary directory (artifacts
     * go to {@code runlog.db.artifacts} beside it), deleted after the test. Use it to test code
     * that opens its own tracker from a URI, or that depends on the SQLite store's behaviour.
     * Needs {@code dev.runlog:storage-sqlite} on the test class path: this library does not bring
     * it, so that users of {@link #inMemory()} get no SQLite driver.
     */
    public static RunlogExtension sqlite() {
        return new RunlogExtension(TestResources.Kind.SQLITE, null);
    }

    /**
     * An extension like this one whose trackers use {@code clock} for run times and metric
     * timestamps, so tests can assert exact times:
     * {@code RunlogExtension.inMemory().withClock(Clock.fixed(instant, ZoneOffset.UTC))}.
     */
    public RunlogExtension withClock(Clock clock) {
        return new RunlogExtension(kind, InputRules.notNull("clock", clock));
    }

    /**
     * The tracker of the test running now, opened on first use.
     *
     * @throws dev.runlog.tracking.InvalidInputException outside a test (in {@code @BeforeAll},
     *         {@code @AfterAll}, or after the test finished)
     */
    public Tracker tracker() {
        return current("tracker()").tracker();
    }

    /**
     * The model registry kept in the store of {@link #tracker()}.
     *
     * @throws dev.runlog.tracking.InvalidInputException outside a test
     */
    public ModelRegistry registry() {
        return current("registry()").registry();
    }

    /**
     * The URI of the test's store. For {@link #sqlite()} it is {@code sqlite:} and the absolute
     * path of the test's database file: a tracker opened on it sees what {@link #tracker()} logs.
     * For {@link #inMemory()} it is {@code memory:}, which opens a <em>new, separate</em> store
     * every time, so hand code under test {@link #tracker()} instead.
     *
     * @throws dev.runlog.tracking.InvalidInputException outside a test
     */
    public String storeUri() {
        return current("storeUri()").storeUri();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        onThisThread.set(resources(context));
    }

    // Each method JUnit calls for a test runs with that test's store as the thread's: in parallel
    // runs a worker thread may run a dynamic test (which has no beforeEach of its own), or part of
    // another test, while the test it last began is still running, so what beforeEach set is not
    // enough; the thread's earlier test is restored after the call.

    @Override
    public void interceptBeforeEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                          ExtensionContext context) throws Throwable {
        asThisTest(invocation, context);
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                    ExtensionContext context) throws Throwable {
        asThisTest(invocation, context);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                            ExtensionContext context) throws Throwable {
        asThisTest(invocation, context);
    }

    @Override
    public <T> T interceptTestFactoryMethod(Invocation<T> invocation, ReflectiveInvocationContext<Method> call,
                                            ExtensionContext context) throws Throwable {
        return asThisTest(invocation, context);
    }

    @Override
    public void interceptDynamicTest(Invocation<Void> invocation, DynamicTestInvocationContext call,
                                     ExtensionContext context) throws Throwable {
        // The dynamic test's context has no store entry of its own: the lookup finds its factory's.
        asThisTest(invocation, context);
    }

    @Override
    public void interceptAfterEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                         ExtensionContext context) throws Throwable {
        asThisTest(invocation, context);
    }

    private <T> T asThisTest(Invocation<T> invocation, ExtensionContext context) throws Throwable {
        TestResources before = onThisThread.get();
        onThisThread.set(resources(context));
        try {
            return invocation.proceed();
        } finally {
            if (before == null) {
                onThisThread.remove();
            } else {
                onThisThread.set(before);
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == Tracker.class || type == ModelRegistry.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        if (extensionContext.getTestMethod().isEmpty()) {
            throw new ParameterResolutionException("RunlogExtension gives each test its own " + type.getSimpleName()
                    + ", so there is none for " + parameterContext.getDeclaringExecutable()
                    + ", which runs outside a single test; take it as a parameter of the test method,"
                    + " of @BeforeEach or @AfterEach, or of the constructor of a test class with the default"
                    + " per-method lifecycle");
        }
        TestResources resources = resources(extensionContext);
        return type == Tracker.class ? resources.tracker() : resources.registry();
    }

    /**
     * Asks JUnit for the test method's context when it builds a test instance, so a constructor
     * parameter gets the very tracker the test gets (with the per-method lifecycle).
     */
    @Override
    public ExtensionContextScope getTestInstantiationExtensionContextScope(ExtensionContext rootContext) {
        return ExtensionContextScope.TEST_METHOD;
    }

    private TestResources resources(ExtensionContext context) {
        return context.getStore(namespace).getOrComputeIfAbsent(TestResources.class, type -> {
            TestResources made = new TestResources(kind, clock, this::released);
            open.add(made);
            return made;
        }, TestResources.class);
    }

    private void released(TestResources resources) {
        open.remove(resources);
        if (onThisThread.get() == resources) {
            onThisThread.remove();
        }
    }

    private TestResources current(String accessor) {
        TestResources mine = onThisThread.get();
        if (mine != null && !mine.isClosed()) {
            return mine;
        }
        List<TestResources> running = List.copyOf(open);
        if (running.size() == 1) {
            return running.get(0);
        }
        if (running.isEmpty()) {
            throw new dev.runlog.tracking.InvalidInputException("RunlogExtension." + accessor + " is only available while a test runs:"
                    + " in @BeforeEach, the test method and @AfterEach; no test is running now (each test gets"
                    + " its own store, so there is none in @BeforeAll, @AfterAll or after the test)");
        }
        throw new dev.runlog.tracking.InvalidInputException("RunlogExtension." + accessor + " was called on a thread that runs none of the "
                + running.size() + " tests running now, so it cannot tell which test's store you mean;"
                + " take a Tracker or ModelRegistry parameter in the test instead");
    }
}
