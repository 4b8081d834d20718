package dev.runlog.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The example in {@link InvalidFilterException}'s javadoc is the message a search really gives. */
class InvalidFilterExceptionTest {
    @Test
    void theJavadocExampleIsTheRealMessage() {
        try (Tracker tracker = Tracker.inMemory()) {
            InvalidFilterException e = assertThrows(InvalidFilterException.class,
                    () -> tracker.searchRuns().filter("metrics.acc 0.9").page());
            assertEquals("expected a comparator after 'metrics.acc' at column 13, found '0.9' in \"metrics.acc 0.9\"",
                    e.getMessage());
            assertEquals(13, e.column());
            assertEquals("metrics.acc 0.9", e.filter());
        }
    }
}
