package dev.runlog.monitoring;

/**
 * Hears a {@link ModelMonitor}'s windows and alerts, on the thread that evaluated the window (the
 * monitor's own, or the caller of {@link ModelMonitor#flush()} and {@link ModelMonitor#close()}).
 * An exception a listener throws is logged and does not stop the monitor.
 */
@FunctionalInterface
public interface MonitorListener {

    /**
     * A window crossed a line; called once the window is evaluated, before its metrics are written:
     * a window the store fails to take still alerts (and is logged later, or given up with a
     * {@link MonitorAlert.Kind#WINDOW_DROPPED} alert of its own).
     */
    void onAlert(MonitorAlert alert);

    /** Every window, alerting or not, before its alerts; does nothing unless overridden. */
    default void onWindow(WindowReport report) {
    }
}
