/**
 * What a store implements to keep a model registry: {@link dev.runlog.registry.spi.RegistryStore},
 * and a {@link dev.runlog.registry.spi.RegistryStoreProvider} registered in
 * {@code META-INF/services/dev.runlog.registry.spi.RegistryStoreProvider} that finds the registry
 * beside a tracking store. {@code RegistryStoreCompatibilityKit} in {@code dev.runlog:storage-tck}
 * checks the contract.
 */
package dev.runlog.registry.spi;
