package dev.runlog.tracking.spi;

import dev.runlog.tracking.spi.InputRules;

/**
 * One key of a search's order. Rows are compared key by key; a row lacking the key comes after
 * every row that has it, and NaN after every number, whatever the direction; the run id (or
 * experiment id) in the direction of the last key breaks ties. Numbers compare as numbers, -0.0
 * equal to 0.0; times ({@code start_time}, {@code end_time}, {@code creation_time},
 * {@code last_update_time}) as epoch milliseconds; strings, ids included, by Unicode code point, as
 * SQL's binary collation of UTF-8 does (Java's {@code String.compareTo} compares UTF-16 units and
 * differs for characters beyond U+FFFF). Experiment ids compare as numbers.
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
