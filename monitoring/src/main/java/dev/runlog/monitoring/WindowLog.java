package dev.runlog.monitoring;

import dev.runlog.tracking.StoreException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * What a {@link ModelMonitor} has to write to the store, in order: windows to log and monitoring runs
 * to end. A store failure ({@link StoreException}: it may work later) stops the writing and keeps
 * everything for the next attempt, at most {@code limit} windows: beyond them the oldest is given
 * up (after the attempt, so that a store working again takes them all). Any other failure (retrying cannot help) gives that window up at once. Each window given up is
 * counted and handed to {@code givenUp} with the reason. Used under the monitor's lock.
 */
final class WindowLog {
    private final Deque<Object> pending = new ArrayDeque<>();
    private final int limit;
    private final BiConsumer<WindowReport, String> givenUp;
    private int windows;
    private long dropped;
    private RuntimeException failure;

    WindowLog(int limit, BiConsumer<WindowReport, String> givenUp) {
        this.limit = limit;
        this.givenUp = givenUp;
    }

    /** Queues a window behind what is pending. */
    void add(MonitorRun.Entry entry) {
        pending.add(entry);
        windows++;
    }

    /** Gives up the oldest windows while more than the limit wait (after a write failed: the newest are kept). */
    private void trim() {
        while (windows > limit) {
            for (Object item : pending) {
                if (item instanceof MonitorRun.Entry oldest) {
                    pending.remove(oldest);
                    giveUp(oldest, "more than " + limit + " windows waited to be logged while the store failed ("
                            + failure.getMessage() + ")");
                    break;
                }
            }
        }
    }

    /** Queues the end of a run, after its pending windows. */
    void end(MonitorRun run) {
        pending.add(run);
    }

    /**
     * Writes what is pending, oldest first, until done or the store fails.
     *
     * @return the store's failure if something is still pending, else null
     */
    StoreException write() {
        while (!pending.isEmpty()) {
            Object item = pending.peek();
            try {
                if (item instanceof MonitorRun.Entry entry) {
                    MonitorRun.write(entry);
                    windows--;
                } else {
                    ((MonitorRun) item).end();
                }
                pending.remove();
            } catch (StoreException e) {
                failure = e;
                trim();
                return e;
            } catch (RuntimeException e) {
                pending.remove();
                if (item instanceof MonitorRun.Entry entry) {
                    giveUp(entry, e.toString());
                }
            }
        }
        failure = null;
        return null;
    }

    /** Gives up everything still pending (the monitor closes with the store failing). */
    void giveUpAll(String why) {
        for (Object item : pending) {
            if (item instanceof MonitorRun.Entry entry) {
                giveUp(entry, why);
            }
        }
        pending.clear();
        windows = 0;
    }

    private void giveUp(MonitorRun.Entry entry, String why) {
        windows--;
        dropped++;
        givenUp.accept(entry.report, why);
    }

    /** The reports of the windows not logged yet, oldest first. */
    List<WindowReport> unlogged() {
        List<WindowReport> reports = new ArrayList<>();
        for (Object item : pending) {
            if (item instanceof MonitorRun.Entry entry) {
                reports.add(entry.report);
            }
        }
        return reports;
    }

    /** Windows given up so far. */
    long dropped() {
        return dropped;
    }
}
