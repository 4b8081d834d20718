/** Implementation of {@code dev.runlog.junit}; not an API, may change in any release. */
package dev.runlog.junit.internal;
