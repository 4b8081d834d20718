package dev.runlog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ReadAheadTest {
    @Test
    void givesEveryItemInOrderAndClosesTheSource() {
        AtomicBoolean closed = new AtomicBoolean();
        int count = ReadAhead.BATCH * ReadAhead.BATCHES * 3 + 17;
        List<Integer> read;
        try (Stream<Integer> items = ReadAhead.of(IntStream.range(0, count).boxed().onClose(() -> closed.set(true)))) {
            read = items.toList();
        }
        assertEquals(IntStream.range(0, count).boxed().toList(), read);
        assertTrue(closed.get());
    }

    @Test
    void aFailureOfTheSourceReachesTheCallerAfterTheItemsBeforeIt() {
        StoreException failure = new StoreException("the database is gone");
        int before = ReadAhead.BATCH + 3;
        List<Integer> read = new ArrayList<>();
        try (Stream<Integer> items = ReadAhead.of(IntStream.range(0, before + 1).boxed().map(i -> {
            if (i == before) {
                throw failure;
            }
            return i;
        }))) {
            StoreException thrown = assertThrows(StoreException.class, () -> items.forEach(read::add));
            assertSame(failure, thrown);
        }
        assertEquals(before, read.size());
    }

    @Test
    void closingEarlyStopsTheReaderWhichHadNoRoomLeft() {
        AtomicInteger produced = new AtomicInteger();
        AtomicBoolean closed = new AtomicBoolean();
        Stream<Integer> endless = Stream.iterate(0, i -> i + 1).peek(i -> produced.incrementAndGet()).onClose(() -> closed.set(true));
        try (Stream<Integer> items = ReadAhead.of(endless)) {
            assertEquals(List.of(0, 1, 2), items.limit(3).toList());
        }
        // close() waited for the reader, which stopped at the bound instead of reading forever
        assertTrue(closed.get());
        int after = produced.get();
        assertTrue(after <= ReadAhead.BATCH * (ReadAhead.BATCHES + 2), "read " + after);
    }
}
