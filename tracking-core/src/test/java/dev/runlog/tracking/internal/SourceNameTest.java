package dev.runlog.tracking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code runlog.source.name} names the user's main class, also when a launcher such as Maven started the JVM. */
class SourceNameTest {
    @Test
    void underMavensLauncherTheInvokedMainClassIsRecorded() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                org.codehaus.plexus.classworlds.launcher.Launcher.class.getName(), SourceNameChild.class.getName())
                .redirectErrorStream(true)
                .start();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child JVM did not exit");
        List<String> lines = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, child.exitValue(), String.join("\n", lines));
        assertTrue(lines.contains("SOURCE " + SourceNameChild.class.getName()), "child output: " + lines);
    }

    @Test
    void outermostNonLauncherMainWinsAndLauncherFramesAreSkipped() {
        Thread worker = new Thread(() -> { }, "com.acme.Train.main()");
        StackTraceElement[] stack = {
            frame("com.acme.Helper", "main"),          // a nested main called by the program: not the entry point
            frame("com.acme.Train", "main"),
            frame("jdk.internal.reflect.DirectMethodHandleAccessor", "invoke"),
            frame("org.codehaus.mojo.exec.ExecJavaMojo", "lambda$execute$0"),
            frame("java.lang.Thread", "run"),
        };
        StackTraceElement[] launcherOnly = {frame("org.codehaus.plexus.classworlds.launcher.Launcher", "main")};
        assertEquals(Optional.of("com.acme.Train"),
                SystemTags.invokedMain(Map.of(new Thread(() -> { }, "main"), launcherOnly, worker, stack)));
        assertEquals(Optional.empty(), SystemTags.invokedMain(Map.of(worker, launcherOnly)));
    }

    private static StackTraceElement frame(String className, String method) {
        return new StackTraceElement(className, method, null, -1);
    }
}
