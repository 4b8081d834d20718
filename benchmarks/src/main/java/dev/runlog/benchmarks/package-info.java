/**
 * The benchmarks behind the README's speed and size figures, run by
 * {@link dev.runlog.benchmarks.BenchmarkSuite} against fresh SQLite files through the public API.
 * Not deployed.
 */
package dev.runlog.benchmarks;
