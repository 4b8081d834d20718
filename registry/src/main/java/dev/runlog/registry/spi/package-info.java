/**
 * What a store implements to keep a model registry: {@link dev.runlog.registry.spi.RegistryStore},
 * and a {@link dev.runlog.registry.spi.RegistryStoreProvider} registered in
 * {@code META-INF/services/dev.runlog.registry.spi.RegistryStoreProvider} that finds the registry
 * beside a tracking store. A store compiles against this package, {@code dev.runlog.registry} and
 * the tracking API and SPI alone: the errors it throws come from
 * {@link dev.runlog.registry.spi.RegistryErrors}, and the audit entries it writes are the
 * {@link dev.runlog.registry.spi.Change}s the registry hands it. Optional arguments are
 * {@link java.util.Optional}s, never nulls. {@code RegistryStoreCompatibilityKit} in
 * {@code dev.runlog:storage-tck} checks the contract.
 */
package dev.runlog.registry.spi;
