/**
 * The built-in model flavors ({@code json}, {@code files}, {@code java-serialized}) and the lookup
 * of flavors by name, built-in first, then those registered through {@link java.util.ServiceLoader}.
 * Not an API: anything here may change in any release. Use {@link dev.runlog.tracking.ModelFlavor}.
 */
package dev.runlog.tracking.internal.flavors;
