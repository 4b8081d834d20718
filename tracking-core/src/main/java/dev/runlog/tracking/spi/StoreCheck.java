package dev.runlog.tracking.spi;

import java.util.List;

/**
 * A store's check of itself ({@link TrackingStore#checkStore()}): what it is, such as
 * {@code "SQLite schema 8, /data/runs.db"}, and every problem its own checks found (corruption,
 * broken references), each a sentence naming what is wrong. No problems means healthy.
 *
 * @param description what the store is, for people
 * @param problems    what is wrong; empty when healthy
 */
public record StoreCheck(String description, List<String> problems) {
    public StoreCheck {
        InputRules.notNull("description", description);
        problems = List.copyOf(InputRules.notNull("problems", problems));
    }

    /** Whether the store found nothing wrong. */
    public boolean healthy() {
        return problems.isEmpty();
    }
}
