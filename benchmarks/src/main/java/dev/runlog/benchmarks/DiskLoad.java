package dev.runlog.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * Another program loading the disk beside a benchmark: a JVM of its own that writes 1 MB blocks
 * into a 256 MB file, over and over, fsyncing every 8 MB, until it is closed.
 *
 * <p>A process, not a thread of the benchmark's JVM: as a thread, the JIT compiled the writer's
 * loop and the channel code under it while the tails were being measured, and those compilations
 * took the cores the measured calls needed (up to 600 ms of compiling inside a window of 2,000
 * calls). What a user's training job meets is another program's writes, so that is what runs
 * here. The load is reported started once its first 8 MB are on disk, and it ends when its stdin
 * closes, so it never outlives the benchmark's JVM.
 */
final class DiskLoad implements AutoCloseable {
    private static final long WRAP_BYTES = 256L << 20;
    private static final int BLOCK = 1 << 20;
    private static final int FSYNC_EVERY = 8 << 20;

    private final Process process;
    private final Path file;

    private DiskLoad(Process process, Path file) {
        this.process = process;
        this.file = file;
    }

    /** Starts the load on {@code file} and returns once it has written and fsynced its first 8 MB. */
    static DiskLoad start(Path file) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx64m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), DiskLoad.class.getName(), file.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (!"writing".equals(line)) {
            process.destroyForcibly();
            throw new IllegalStateException("the disk load did not start: " + line);
        }
        return new DiskLoad(process, file);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        Files.deleteIfExists(file);
    }

    /** The load itself: {@code args[0]} is the file; runs until the process is stopped. */
    public static void main(String[] args) throws IOException {
        // The benchmark holds this process's stdin open: at its end, its exit or its death the pipe
        // closes, and so the load never outlives the benchmark, even one that was killed.
        Thread watch = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // nothing is sent; only the end matters
                }
            } catch (IOException e) {
                // the pipe broke: the benchmark is gone too
            }
            System.exit(0);
        }, "disk-load-watch");
        watch.setDaemon(true);
        watch.start();
        // On the heap, as the load of earlier sessions' figures was: each write copies it once more.
        ByteBuffer block = ByteBuffer.allocate(BLOCK);
        for (int i = 0; i < BLOCK; i++) {
            block.put(i, (byte) (i * 31));
        }
        try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long written = 0;
            boolean reported = false;
            while (true) {
                block.clear();
                while (block.hasRemaining()) {
                    channel.write(block, written % WRAP_BYTES + block.position());
                }
                written += BLOCK;
                if (written % FSYNC_EVERY == 0) {
                    channel.force(false);
                    if (!reported) {
                        System.out.println("writing");
                        System.out.flush();
                        reported = true;
                    }
                }
            }
        }
    }
}
