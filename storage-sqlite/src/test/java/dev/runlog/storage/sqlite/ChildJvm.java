package dev.runlog.storage.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Test support: starts a JVM running a main class of the test sources (same java, same class path,
 * as ShutdownHookTest does) and collects its output line by line in background threads, so a
 * chatty child never blocks on a full pipe.
 */
final class ChildJvm {
    private ChildJvm() {
    }

    /** Starts {@code mainClass} with {@code args} in a new JVM with a modest heap. */
    static Process start(Class<?> mainClass, String... args) throws IOException {
        return start(null, mainClass, args);
    }

    /** The same, in {@code workingDirectory} ({@code null}: this JVM's). */
    static Process start(Path workingDirectory, Class<?> mainClass, String... args) throws IOException {
        return start(System.getProperty("java.class.path"), workingDirectory, mainClass, args);
    }

    /** The same, with another class path (this JVM's, say, less a module). */
    static Process start(String classPath, Path workingDirectory, Class<?> mainClass, String... args)
            throws IOException {
        return start(classPath, workingDirectory, Map.of(), List.of(), mainClass, args);
    }

    /** The same, with variables added to the environment and JVM options (system properties, say) before the class. */
    static Process start(String classPath, Path workingDirectory, Map<String, String> environment, List<String> jvmOptions,
                         Class<?> mainClass, String... args) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx256m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath, mainClass.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        // A child must see the configuration its test gives it, not whatever the CI shell exported.
        builder.environment().remove("RUNLOG_TRACKING_URI");
        builder.environment().putAll(environment);
        if (workingDirectory != null) {
            builder.directory(workingDirectory.toFile());
        }
        return builder.start();
    }

    /**
     * Reads a stream in a daemon thread and keeps every <em>complete</em> line: a line cut short by
     * the process being killed mid-write (no trailing newline at end of stream) is dropped, never
     * reported as a shorter line.
     */
    static final class Lines {
        private final String name;
        private final Thread thread;
        private final List<String> lines = new ArrayList<>();
        private boolean ended;
        private IOException failure;

        Lines(String name, InputStream stream) {
            this.name = name;
            this.thread = new Thread(() -> pump(stream), "read-" + name);
            this.thread.setDaemon(true);
            this.thread.start();
        }

        private void pump(InputStream stream) {
            StringBuilder current = new StringBuilder();
            try (Reader reader = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
                char[] buffer = new char[8192];
                int n;
                while ((n = reader.read(buffer)) >= 0) {
                    for (int i = 0; i < n; i++) {
                        char c = buffer[i];
                        if (c == '\n') {
                            String line = current.toString();
                            current.setLength(0);
                            synchronized (this) {
                                lines.add(line);
                                notifyAll();
                            }
                        } else if (c != '\r') {
                            current.append(c);
                        }
                    }
                }
            } catch (IOException e) {
                synchronized (this) {
                    failure = e;
                }
            } finally {
                synchronized (this) {
                    ended = true;
                    notifyAll();
                }
            }
        }

        /**
         * Waits for a line matching {@code wanted}. Fails when the stream ends first or the timeout
         * runs out, with everything read so far in the message.
         */
        synchronized String await(Predicate<String> wanted, String description, Duration timeout)
                throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            int checked = 0;
            while (true) {
                for (; checked < lines.size(); checked++) {
                    if (wanted.test(lines.get(checked))) {
                        return lines.get(checked);
                    }
                }
                if (ended) {
                    throw new AssertionError(name + " ended before printing " + description + "; it printed:\n" + text());
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("timed out after " + timeout + " waiting for " + name + " to print "
                            + description + "; it printed:\n" + text());
                }
                wait(left);
            }
        }

        /** Waits for the end of the stream (the process exited and the pipe is drained). */
        List<String> awaitEnd(Duration timeout) throws InterruptedException {
            thread.join(timeout.toMillis());
            synchronized (this) {
                if (!ended) {
                    throw new AssertionError(name + ": output did not end within " + timeout);
                }
                if (failure != null) {
                    throw new AssertionError(name + ": reading output failed", failure);
                }
                return List.copyOf(lines);
            }
        }

        synchronized List<String> snapshot() {
            return List.copyOf(lines);
        }

        synchronized String text() {
            return String.join("\n", lines);
        }
    }
}
