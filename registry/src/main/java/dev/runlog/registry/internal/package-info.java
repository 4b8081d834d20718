/**
 * Implementation of the registry API and the in-memory registry store. Not an API: anything here
 * may change in any release. Use {@link dev.runlog.registry.ModelRegistry} and
 * {@link dev.runlog.registry.spi}.
 */
package dev.runlog.registry.internal;
