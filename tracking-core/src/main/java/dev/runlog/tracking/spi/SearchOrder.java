package dev.runlog.tracking.spi;

import dev.runlog.tracking.spi.InputRules;

/**
 * One key of a search's order. Rows are compared key by key; a row lacking the key comes after
 * every row that has it, and NaN after every number, whatever the direction; the run id (or
 * experiment id) in the direction of the last key breaks ties.
 */
public record SearchOrder(SearchField field, boolean ascending) {
    public SearchOrder {
        InputRules.notNull("field", field);
    }

    /**
     * Where a sort value ranks before its own value is compared, the same in both directions: 0 for
     * a value, 1 for NaN, 2 for a missing value ({@code null}). A store that sorts in its query
     * language sorts by this rank first, ascending, then by the value in the key's direction.
     */
    public static int rank(Object sortValue) {
        if (sortValue == null) {
            return 2;
        }
        return sortValue instanceof Double d && d.isNaN() ? 1 : 0;
    }
}
