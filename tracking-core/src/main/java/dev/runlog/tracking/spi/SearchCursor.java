package dev.runlog.tracking.spi;

import dev.runlog.tracking.spi.InputRules;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where a page ended: the last row's value of each order key and its id. Keyset pagination: the
 * next page holds the rows after this position in the order, so rows added or removed meanwhile
 * never shift the others, and none is skipped or repeated.
 *
 * @param values per order key, a {@code Double} (NaN included) for numeric fields, a
 *               {@code String} otherwise, or {@code null} when the row lacks the key
 * @param id     the row's run id or experiment id
 */
public record SearchCursor(List<Object> values, String id) {
    public SearchCursor {
        values = Collections.unmodifiableList(new ArrayList<>(InputRules.notNull("values", values)));
        InputRules.notNull("id", id);
    }
}
