/**
 * The model registry: {@link dev.runlog.registry.ModelRegistry#of(dev.runlog.tracking.Tracker)}
 * names the models worth keeping, numbers their versions, moves them through
 * {@link dev.runlog.registry.Stage stages} and aliases behind {@link dev.runlog.registry.Gates
 * promotion gates}, records an {@link dev.runlog.registry.ModelEvent audit trail}, and serves the
 * current version through a {@link dev.runlog.registry.DeployedModel live handle}.
 */
package dev.runlog.registry;
