package dev.runlog.tracking.tck;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Clock} that tests set and move by hand, so every run time, experiment time and metric
 * timestamp a store records is known in advance.
 *
 * <p>The clock has millisecond precision, the precision of metric timestamps: it never reports a
 * fraction of a millisecond, so a store that keeps instants to the millisecond round-trips them
 * exactly. It stands still unless moved with {@link #set}, {@link #advance} or, to make every read
 * return a later time than the one before, {@link #setAutoAdvance}. It is thread-safe.
 *
 * <pre>{@code
 * MutableClock clock = new MutableClock(Instant.parse("2021-06-15T08:30:00.123Z"));
 * Tracker tracker = Tracker.builder().uri("memory:").clock(clock).build();
 * clock.advance(Duration.ofSeconds(5));
 * }</pre>
 */
public final class MutableClock extends Clock {
    private final AtomicLong epochMillis;
    private final AtomicLong autoAdvanceMillis;
    private final ZoneId zone;

    /**
     * A clock standing at {@code start}, truncated to the millisecond, in UTC.
     *
     * @param start the time the clock shows until it is moved
     */
    public MutableClock(Instant start) {
        this(new AtomicLong(Objects.requireNonNull(start, "start").toEpochMilli()), new AtomicLong(), ZoneOffset.UTC);
    }

    private MutableClock(AtomicLong epochMillis, AtomicLong autoAdvanceMillis, ZoneId zone) {
        this.epochMillis = epochMillis;
        this.autoAdvanceMillis = autoAdvanceMillis;
        this.zone = zone;
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** A view of this clock in another zone; moving either moves both. */
    @Override
    public Clock withZone(ZoneId zone) {
        return new MutableClock(epochMillis, autoAdvanceMillis, Objects.requireNonNull(zone, "zone"));
    }

    /** The current time in milliseconds since the epoch; then moves the clock by the auto-advance step, if any. */
    @Override
    public long millis() {
        return epochMillis.getAndAdd(autoAdvanceMillis.get());
    }

    /** The current time; then moves the clock by the auto-advance step, if any. */
    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    /** The current time, without moving the clock even when it auto-advances. */
    public Instant peek() {
        return Instant.ofEpochMilli(epochMillis.get());
    }

    /** Sets the clock to {@code time}, truncated to the millisecond; earlier than now is allowed. */
    public void set(Instant time) {
        epochMillis.set(Objects.requireNonNull(time, "time").toEpochMilli());
    }

    /** Moves the clock by {@code amount} (whole milliseconds; negative moves it back). */
    public void advance(Duration amount) {
        epochMillis.addAndGet(Objects.requireNonNull(amount, "amount").toMillis());
    }

    /** Moves the clock by {@code millis} milliseconds (negative moves it back). */
    public void advanceMillis(long millis) {
        epochMillis.addAndGet(millis);
    }

    /**
     * Makes every read ({@link #millis()}, {@link #instant()}) move the clock on by {@code step}
     * after returning, so consecutive reads differ; {@link Duration#ZERO} makes it stand still again.
     */
    public void setAutoAdvance(Duration step) {
        long ms = Objects.requireNonNull(step, "step").toMillis();
        if (ms < 0) {
            throw new IllegalArgumentException("auto-advance step must not be negative, got " + step);
        }
        autoAdvanceMillis.set(ms);
    }

    @Override
    public String toString() {
        return "MutableClock[" + peek() + ", " + zone + "]";
    }
}
