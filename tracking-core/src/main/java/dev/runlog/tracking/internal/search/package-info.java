/**
 * Run and experiment search: the filter and order-by parser, page tokens, and the in-memory
 * store's matching and ordering. Stores receive what the parser produces as
 * {@link dev.runlog.tracking.spi.SearchFilter} and {@link dev.runlog.tracking.spi.SearchOrder}.
 * Not an API: anything here may change in any release. Use {@link dev.runlog.tracking.RunQuery}
 * and {@link dev.runlog.tracking.ExperimentQuery}.
 */
package dev.runlog.tracking.internal.search;
