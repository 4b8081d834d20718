package dev.runlog.tracking.internal;

import dev.runlog.tracking.Dataset;
import dev.runlog.tracking.spi.DatasetProfiler;
import dev.runlog.tracking.spi.Plugins;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Runs the {@link DatasetProfiler} plugins over a dataset's rows. A plugin that fails is dropped
 * from that profile and logged, never failing the read: the dataset's own profile does not depend
 * on it.
 */
final class DatasetProfilers {
    private static final System.Logger LOG = System.getLogger(DatasetProfilers.class.getName());

    private DatasetProfilers() {
    }

    /** The profilers found now, each started on the schema. */
    static Run start(List<Dataset.Column> schema) {
        List<DatasetProfiler> profilers = new ArrayList<>();
        Plugins.load(DatasetProfiler.class, loader -> ServiceLoader.load(DatasetProfiler.class, loader))
                .forEach(profilers::add);
        Run run = new Run();
        for (DatasetProfiler profiler : profilers) {
            try {
                run.started.put(profiler.key(), profiler.start(List.copyOf(schema)));
            } catch (RuntimeException e) {
                failed(profiler.getClass().getName(), e);
            }
        }
        return run;
    }

    private static void failed(String profiler, RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "dataset profiler " + profiler + " failed; its entry is left out", e);
    }

    /** The profilers of one dataset. */
    static final class Run {
        private final Map<String, DatasetProfiler.Accumulator> started = new LinkedHashMap<>();

        void addRow(List<String> cells) {
            if (started.isEmpty()) {
                return;
            }
            List<String> row = List.copyOf(cells);
            started.entrySet().removeIf(entry -> {
                try {
                    entry.getValue().addRow(row);
                    return false;
                } catch (RuntimeException e) {
                    failed(entry.getKey(), e);
                    return true;
                }
            });
        }

        Map<String, String> finish() {
            Map<String, String> extensions = new LinkedHashMap<>();
            started.forEach((key, accumulator) -> {
                try {
                    extensions.put(key, accumulator.finish());
                } catch (RuntimeException e) {
                    failed(key, e);
                }
            });
            return extensions;
        }
    }
}
