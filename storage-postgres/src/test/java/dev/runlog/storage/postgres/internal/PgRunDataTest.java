package dev.runlog.storage.postgres.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.Metric;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A run's record, as the store writes and reads it. */
class PgRunDataTest {

    private static PgRunData.Data data(String key, String value) {
        return new PgRunData.Data(Map.of(key, value), Map.of("t-" + key, value), Map.of(key, new Metric(key, -0.0, 3, 4)));
    }

    @Test
    void keysOfTheSameShapeAreReadAsTheyAreStored() {
        // Same length, first and last byte: the key cache keeps them in one slot, each replacing the other.
        for (String key : new String[] {"pa1", "pb1", "pa1", "p\u00e91", "pab1", "pa1"}) {
            PgRunData.Data read = PgRunData.decode(PgRunData.encode(data(key, "v-" + key)));
            assertEquals(data(key, "v-" + key), read, key);
        }
    }

    @Test
    void keysReadAgainAreTheSameStringsAndValuesAreNot() {
        PgRunData.Data first = PgRunData.decode(PgRunData.encode(data("lr", "0.1")));
        PgRunData.Data second = PgRunData.decode(PgRunData.encode(data("lr", "0.1")));
        assertSame(first.params().keySet().iterator().next(), second.params().keySet().iterator().next());
        assertTrue(first.params().get("lr") != second.params().get("lr"), "values are not kept");
        assertEquals(first, second);
    }

    @Test
    void whatAReaderGetsIsImmutableAndWhatAWriterGetsIsNot() {
        byte[] record = PgRunData.encode(data("lr", "0.1"));
        assertThrows(UnsupportedOperationException.class, () -> PgRunData.decode(record).params().put("x", "y"));
        PgRunData.Data changed = PgRunData.decodeForChange(record);
        changed.params().put("x", "y");
        changed.latest().put("m", new Metric("m", 1, 0, 0));
        assertEquals(Map.of("lr", "0.1", "x", "y"), changed.params());
    }

    @Test
    void aCorruptRecordIsReportedAsOne() {
        byte[] record = PgRunData.encode(data("lr", "0.1"));
        IntegrityException cut = assertThrows(IntegrityException.class, () -> PgRunData.decode(Arrays.copyOf(record, record.length - 3)));
        assertTrue(cut.getMessage().contains("corrupt"), cut.getMessage());
        // Two entries of one key: a map cannot hold them, and the record is not one the store wrote.
        byte[] twice = PgRunData.encode(new PgRunData.Data(Map.of("a", "1", "b", "2"), Map.of(), Map.of()));
        for (int i = 1; i < twice.length; i++) {
            if (twice[i] == 'b' && twice[i - 1] == 1) { // key "b", after its length 1
                twice[i] = 'a';
                break;
            }
        }
        assertThrows(IntegrityException.class, () -> PgRunData.decode(twice));
    }
}
