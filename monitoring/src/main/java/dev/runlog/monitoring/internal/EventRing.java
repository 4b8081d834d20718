package dev.runlog.monitoring.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * A bounded array queue for many producers (the serving threads) and one consumer (whoever holds
 * the monitor's evaluation lock). Offering never blocks and never takes a lock: a producer claims a
 * position by compare-and-set and publishes its event with a release store; when the ring is full
 * the event is dropped and counted. The consumer takes events in claim order, stopping at a position
 * claimed but not yet published (it is taken on the next drain).
 */
public final class EventRing {
    private final AtomicReferenceArray<Object> slots;
    private final int capacity;
    private final AtomicLong tail = new AtomicLong();
    /** The next position to take; written by the consumer only, read by producers to see free room. */
    private volatile long head;
    private final LongAdder dropped = new LongAdder();

    public EventRing(int capacity) {
        this.capacity = capacity;
        this.slots = new AtomicReferenceArray<>(capacity);
    }

    /** Adds the event, or drops and counts it when the ring is full; never blocks. */
    public boolean offer(Object event) {
        long position;
        do {
            position = tail.get();
            if (position - head >= capacity) {
                dropped.increment();
                return false;
            }
        } while (!tail.compareAndSet(position, position + 1));
        slots.setRelease((int) (position % capacity), event);
        return true;
    }

    /** Hands every published event to {@code sink}, oldest first; single consumer only. */
    public int drain(Consumer<Object> sink) {
        long position = head;
        int taken = 0;
        while (true) {
            int slot = (int) (position % capacity);
            Object event = slots.getAcquire(slot);
            if (event == null) {
                return taken;
            }
            // The slot is emptied before head moves past it, so a producer sees it free only once empty.
            slots.setRelease(slot, null);
            head = ++position;
            taken++;
            sink.accept(event);
        }
    }

    /** Events dropped because the ring was full. */
    public long dropped() {
        return dropped.sum();
    }
}
