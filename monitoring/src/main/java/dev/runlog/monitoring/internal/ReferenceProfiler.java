package dev.runlog.monitoring.internal;

import dev.runlog.monitoring.Reference;
import dev.runlog.tracking.Dataset;
import dev.runlog.tracking.spi.DatasetProfiler;
import java.util.List;

/**
 * Adds a drift {@link Reference} (a KLL sketch per numeric column, category frequencies per other
 * column) to the profile of every dataset tracking-core reads, under {@link Reference#PROFILE_KEY}.
 */
public final class ReferenceProfiler implements DatasetProfiler {

    @Override
    public String key() {
        return Reference.PROFILE_KEY;
    }

    @Override
    public Accumulator start(List<Dataset.Column> schema) {
        Reference.Builder builder = Reference.builder(schema);
        return new Accumulator() {
            @Override
            public void addRow(List<String> cells) {
                builder.addRow(cells);
            }

            @Override
            public String finish() {
                return builder.build().toBase64();
            }
        };
    }
}
