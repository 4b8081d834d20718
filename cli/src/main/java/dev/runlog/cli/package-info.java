/**
 * The {@code runlog} command: {@link dev.runlog.cli.RunlogCli} is its entry point. Commands use
 * Runlog's public API only, so they work on any store a {@code Tracker} opens.
 */
package dev.runlog.cli;
