package dev.runlog.tracking.spi;

import dev.runlog.tracking.internal.Validation;

/**
 * One key of a search's order. Rows are compared key by key; a row lacking the key comes after
 * every row that has it, and NaN after every number, whatever the direction; the run id (or
 * experiment id) in the direction of the last key breaks ties.
 */
public record SearchOrder(SearchField field, boolean ascending) {
    public SearchOrder {
        Validation.notNull("field", field);
    }
}
