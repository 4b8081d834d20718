package dev.runlog.tracking.spi;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** When a process counts as gone: the runs and files of a gone one are cleaned up after it. */
class ProcessOwnerTest {
    @Test
    void thisProcessIsNotGoneAndAnotherStartTimeIs() {
        ProcessOwner me = ProcessOwner.current();
        assertFalse(me.isGone());
        long pid = ProcessHandle.current().pid();
        assertTrue(ProcessOwner.ofThisMachine(me.machineToken(), pid, OptionalLong.of(1)).orElseThrow().isGone(),
                "this pid with another start time is a process that is gone");
    }

    /**
     * A killed process its parent never reaps (a launcher that does not wait for its children) is
     * a zombie: the JDK counts it alive, but it runs no more, and its runs must not stay RUNNING.
     */
    @Test
    void aProcessThatExitedButWasNotReapedIsGone() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "zombies are read from Linux's /proc");
        // The shell starts a short child, then becomes (exec) a sleep that never reaps it.
        Process parent = new ProcessBuilder("sh", "-c", "sleep 0.2 & echo $!; exec sleep 30").start();
        try {
            long child;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
                child = Long.parseLong(out.readLine().trim());
                ProcessOwner owner = ProcessOwner.ofThisMachine(ProcessOwner.current().machineToken(), child,
                        OptionalLong.empty()).orElseThrow();
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (!Files.readString(Path.of("/proc", Long.toString(child), "stat")).contains(") Z ")) {
                    assertTrue(System.nanoTime() < deadline, "the child never became a zombie");
                    Thread.sleep(20);
                }
                assertTrue(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false), "the JDK still counts it alive");
                assertTrue(owner.isGone());
            }
        } finally {
            parent.destroyForcibly().waitFor();
        }
    }
}
