/**
 * The contract kits a store passes: {@code TrackingStoreCompatibilityKit} and
 * {@code RegistryStoreCompatibilityKit}, JUnit 5 test classes a store's tests extend.
 */
module dev.runlog.tck {
    requires transitive dev.runlog.tracking;
    requires transitive dev.runlog.registry;
    requires transitive org.junit.jupiter.api;
    requires transitive org.junit.jupiter.params;

    exports dev.runlog.tracking.tck;
    // Models the kit logs hold values of this package, to check what loading them allows.
    exports dev.runlog.tracking.tck.other;

    // openByUri and the default registry store find stores as Runlog does, from this module's code.
    uses dev.runlog.tracking.spi.StoreProvider;
    uses dev.runlog.registry.spi.RegistryStoreProvider;

    // JUnit runs the kit's non-public nested groups and test methods by reflection.
    opens dev.runlog.tracking.tck to org.junit.platform.commons;
}
