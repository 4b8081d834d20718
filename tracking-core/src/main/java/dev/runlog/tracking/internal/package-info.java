/**
 * Implementation of the tracking API and the built-in stores. Not an API: anything here may change
 * in any release. Use {@link dev.runlog.tracking.Tracker} and {@link dev.runlog.tracking.spi}.
 */
package dev.runlog.tracking.internal;
