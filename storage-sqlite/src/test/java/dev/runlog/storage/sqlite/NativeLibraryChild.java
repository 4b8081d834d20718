package dev.runlog.storage.sqlite;

import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.ViewType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@link NativeLibraryTest}: opens {@code sqlite:} on its argument, writes
 * and reads an experiment, then prints the file the SQLite driver's native library was loaded from
 * (as the kernel maps it) and the driver's {@code org.sqlite.lib.path} and {@code org.sqlite.tmpdir}
 * properties as they are left.
 */
public final class NativeLibraryChild {
    private NativeLibraryChild() {
    }

    public static void main(String[] args) throws Exception {
        try (Tracker tracker = Tracker.open("sqlite:" + args[0])) {
            tracker.createExperiment("e");
            System.out.println("EXPERIMENTS " + tracker.listExperiments(ViewType.ALL).size());
        }
        try (var maps = Files.lines(Path.of("/proc/self/maps"))) {
            System.out.println("LIBRARY " + maps.filter(line -> line.contains("sqlitejdbc"))
                    .map(line -> line.substring(line.indexOf('/'))).findFirst().orElse("none"));
        }
        System.out.println("PROPERTY " + System.getProperty("org.sqlite.lib.path"));
        System.out.println("TMPDIR " + System.getProperty("org.sqlite.tmpdir"));
    }
}
