/**
 * Runlog's model registry: the API ({@code dev.runlog.registry}), the registry store SPI
 * ({@code dev.runlog.registry.spi}) and the in-memory registry store. A store module that keeps a
 * registry {@code provides dev.runlog.registry.spi.RegistryStoreProvider}.
 */
module dev.runlog.registry {
    requires transitive dev.runlog.tracking;

    exports dev.runlog.registry;
    exports dev.runlog.registry.spi;

    uses dev.runlog.registry.spi.RegistryStoreProvider;

    provides dev.runlog.registry.spi.RegistryStoreProvider
            with dev.runlog.registry.internal.MemoryRegistryStoreProvider;
}
