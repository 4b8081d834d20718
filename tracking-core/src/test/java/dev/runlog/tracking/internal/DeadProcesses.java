package dev.runlog.tracking.internal;

import java.io.IOException;
import java.nio.file.Path;

/** A process of this machine that has ended, whose pid names the temporary files a test plants as left by it. */
final class DeadProcesses {
    private DeadProcesses() {
    }

    /** The pid of a process of this machine that ran and has ended (a {@code java -version}). */
    static long endedPid() throws IOException, InterruptedException {
        Process finished = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        finished.waitFor();
        return finished.pid();
    }
}
