package dev.runlog.tracking;

import dev.runlog.tracking.internal.Validation;

/**
 * A dataset as a run used it, with the role it played.
 *
 * @param dataset the dataset
 * @param context its role in the run, such as {@code "training"}, {@code "validation"} or
 *                {@code "test"}
 */
public record DatasetInput(Dataset dataset, String context) {
    public DatasetInput {
        Validation.notNull("dataset", dataset);
        Validation.notNull("context", context);
    }
}
