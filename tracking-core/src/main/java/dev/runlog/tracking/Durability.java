package dev.runlog.tracking;

/**
 * When a {@code logMetric} call counts as done.
 *
 * <p>Params, tags and run status changes are always written before the call returns; this
 * setting is about metric points, the calls a training loop makes thousands of times.
 */
public enum Durability {
    /**
     * The default. {@code logMetric} puts the point in a bounded buffer and returns; a background
     * writer stores buffered points in batches. {@code flush()}, {@code end()} and {@code close()}
     * return only once every point logged before them is stored. A full buffer makes the caller
     * wait; nothing is dropped.
     */
    ASYNC,
    /**
     * Every {@code logMetric} returns only after the store has the point. Simple and slow: use it
     * when each point must survive a crash of the very next instruction.
     */
    SYNC
}
