/**
 * A class the kit needs in a package of its own, apart from {@code dev.runlog.tracking.tck}: a
 * java-serialized model's loader refuses classes outside the packages it allows, and the kit checks
 * that it does. Not for store authors to use.
 */
package dev.runlog.tracking.tck.other;
