package dev.runlog.tracking.spi;

import dev.runlog.tracking.Dataset;
import java.util.List;

/**
 * A plugin that adds to the profile of every dataset {@link Dataset#fromCsv} reads: it sees each
 * data row once, while the profile is being computed, and leaves one text entry in
 * {@link Dataset.Profile#extensions()} under its {@link #key()}, stored and read back with the rest
 * of the profile. The monitoring module provides one that keeps quantile sketches of the numeric
 * columns and category frequencies of the others, so that drift can later be measured against the
 * training data without tracking-core depending on a sketching library.
 *
 * <p>Found by {@link Plugins#load}: a module {@code provides dev.runlog.tracking.spi.DatasetProfiler},
 * a jar on the class path lists it in {@code META-INF/services}. A profiler that throws while
 * profiling is left out of that profile (and the failure logged): a dataset is always readable.
 */
public interface DatasetProfiler {

    /** The key of this profiler's entry in {@link Dataset.Profile#extensions()}, such as {@code runlog.drift.reference}. */
    String key();

    /** Starts profiling the rows of a dataset with this schema. */
    Accumulator start(List<Dataset.Column> schema);

    /** Collects the rows of one dataset; called from one thread. */
    interface Accumulator {

        /** One data row, as the text of its cells in schema order (missing cells as the file holds them). */
        void addRow(List<String> cells);

        /** The entry to store under the profiler's key, once every row was added. */
        String finish();
    }
}
