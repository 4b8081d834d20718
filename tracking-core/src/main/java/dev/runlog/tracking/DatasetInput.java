package dev.runlog.tracking;

import dev.runlog.tracking.spi.InputRules;

/**
 * A dataset as a run used it, with the role it played.
 *
 * @param dataset the dataset
 * @param context its role in the run, such as {@code "training"}, {@code "validation"} or
 *                {@code "test"}
 */
public record DatasetInput(Dataset dataset, String context) {
    public DatasetInput {
        InputRules.notNull("dataset", dataset);
        InputRules.notNull("context", context);
    }
}
