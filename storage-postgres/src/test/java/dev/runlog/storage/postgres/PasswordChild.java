package dev.runlog.storage.postgres;

import dev.runlog.tracking.Tracker;

/**
 * Opens the store URI given as the argument in a JVM of its own, whose environment the test sets
 * ({@code PGPASSWORD}, {@code PGPASSFILE}), and prints {@code opened} or the failure's message.
 */
public final class PasswordChild {
    private PasswordChild() {
    }

    public static void main(String[] args) {
        try (Tracker tracker = Tracker.builder().uri(args[0]).shutdownHook(false).build()) {
            tracker.listExperiments();
            System.out.println("opened");
        } catch (RuntimeException e) {
            System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
