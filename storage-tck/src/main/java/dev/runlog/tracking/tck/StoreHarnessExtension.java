package dev.runlog.tracking.tck;

import dev.runlog.registry.ModelRegistry;
import dev.runlog.tracking.Tracker;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives every test of a contract kit a fresh {@link StoreHarness} and closes it afterwards: it
 * opens the harness before each test (so before the contract's own {@code @BeforeEach} methods),
 * resolves the parameters {@code StoreHarness}, {@code Tracker}, {@code MutableClock} and
 * {@code ModelRegistry} from it, and closes it after each test, a failing close failing the test.
 *
 * <p>The store comes from the outermost test instance, the kit subclass a store module writes:
 * its {@code storeUri(Path)} names a fresh store in a directory the harness makes.
 */
public final class StoreHarnessExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(StoreHarnessExtension.class);

    /** Made by JUnit for the kits' {@code @ExtendWith}; a store module never makes one. */
    public StoreHarnessExtension() {
    }

    /** What a contract parameter of each type is, taken from the test's harness. */
    private static final Map<Class<?>, Function<StoreHarness, Object>> PARTS = Map.of(
            StoreHarness.class, kit -> kit,
            Tracker.class, StoreHarness::tracker,
            MutableClock.class, StoreHarness::clock,
            ModelRegistry.class, StoreHarness::registry);

    @Override
    public void beforeEach(ExtensionContext context) {
        Object kit = context.getRequiredTestInstances().getAllInstances().get(0);
        StoreHarness harness;
        if (kit instanceof TrackingStoreCompatibilityKit tracking) {
            harness = new StoreHarness(tracking::storeUri, TrackingStoreCompatibilityKit.START);
        } else if (kit instanceof RegistryStoreCompatibilityKit registry) {
            harness = new StoreHarness(registry::storeUri, RegistryStoreCompatibilityKit.START);
        } else {
            throw new ExtensionConfigurationException(kit.getClass().getName()
                    + " is neither a TrackingStoreCompatibilityKit nor a RegistryStoreCompatibilityKit");
        }
        context.getStore(NAMESPACE).put(StoreHarness.class, harness);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        StoreHarness harness = context.getStore(NAMESPACE).remove(StoreHarness.class, StoreHarness.class);
        if (harness != null) {
            harness.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return PARTS.containsKey(parameter.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        StoreHarness harness = context.getStore(NAMESPACE).get(StoreHarness.class, StoreHarness.class);
        if (harness == null) {
            throw new ExtensionConfigurationException("no store harness is open: "
                    + parameter.getParameter().getType().getSimpleName() + " is given to test and @BeforeEach methods only");
        }
        return PARTS.get(parameter.getParameter().getType()).apply(harness);
    }
}
