package dev.runlog.tracking.spi;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The process that owns something a crash can leave behind (a running run, a temporary file), told
 * well enough that a later process can decide whether the owner is gone.
 *
 * <p>A pid means something only on the machine that issued it, so an owner carries its host name
 * and, on Linux, its pid namespace: two containers sharing a host name and a volume but not their
 * pids are different machines here. On the same machine, a pid alone is not enough either, since
 * pids are reused: the owner is gone when its pid is not alive, or is alive with another start
 * time. Start times are compared with {@link #START_TOLERANCE_MS} of slack because the JDK derives
 * them from the boot time, which the kernel reports with second precision; a reused pid starting
 * within that window of the dead one is not a risk worth killing a live run for.
 *
 * @param host         the host name, never blank
 * @param pidNamespace the Linux pid namespace ({@code pid:[4026531836]}); empty elsewhere
 * @param pid          the process id
 * @param startMillis  the process start time in epoch millis; empty where the JDK cannot tell
 */
public record ProcessOwner(String host, Optional<String> pidNamespace, long pid, OptionalLong startMillis) {
    /** Looked up when used (rarely): a JVM's first System.getLogger starts java.util.logging, 20-50 ms every new process would pay. */
    private static System.Logger log() {
        return System.getLogger(ProcessOwner.class.getName());
    }
    static final long START_TOLERANCE_MS = 2_000;

    /**
     * Described on first use, not when this type loads: reading the process's start time and
     * names costs 15-20 ms in a new JVM, which a process that only reads a store never needs.
     */
    private static final class Current {
        static final ProcessOwner OWNER = describeCurrent();
    }

    public ProcessOwner {
        InputRules.notNull("host", host);
        InputRules.notNull("pidNamespace", pidNamespace);
        InputRules.notNull("startMillis", startMillis);
    }

    /** This process. */
    public static ProcessOwner current() {
        return Current.OWNER;
    }

    /** Whether this owner's pid was issued by the same machine (host and pid namespace) as this process's. */
    public boolean onThisMachine() {
        ProcessOwner current = Current.OWNER;
        return host.equals(current.host) && pidNamespace.equals(current.pidNamespace);
    }

    /**
     * Whether this owner, on this machine, is known to be gone. False whenever it cannot be told:
     * for an owner of another machine, or a live pid whose start time is unknown. A process that
     * has exited but that its parent has not yet reaped (a zombie, on Linux) is gone: it runs no
     * more code, though the JDK still counts it alive.
     */
    public boolean isGone() {
        if (!onThisMachine()) {
            return false;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive() || exitedUnreaped(pid)) {
            return true;
        }
        if (startMillis.isEmpty()) {
            return false;
        }
        Optional<Instant> start = handle.get().info().startInstant();
        return start.isPresent() && Math.abs(start.get().toEpochMilli() - startMillis.getAsLong()) > START_TOLERANCE_MS;
    }

    /**
     * Deletes the files in {@code dir} named {@code prefix}, a {@link #nameTag()}, a unique part and
     * {@code suffix} whose owner is {@link #isGone() gone} (killed outright, it could not delete its
     * own): only this user's regular files, never a link, nor another user's file in a shared
     * directory. Best effort: housekeeping never fails the work at hand, so, once its arguments are
     * checked (InvalidInputException for a null), it throws nothing.
     *
     * <pre>{@code
     * ProcessOwner.deleteFilesOfGoneOwners(tmp, "runlog-download-", ".part");
     * }</pre>
     */
    public static void deleteFilesOfGoneOwners(Path dir, String prefix, String suffix) {
        InputRules.notNull("dir", dir);
        InputRules.notNull("prefix", prefix);
        InputRules.notNull("suffix", suffix);
        try (java.nio.file.DirectoryStream<Path> files = Files.newDirectoryStream(dir, prefix + "*" + suffix)) {
            String user = System.getProperty("user.name");
            for (Path file : files) {
                String name = file.getFileName().toString();
                Optional<ProcessOwner> owner = ofName(name.substring(prefix.length(), name.length() - suffix.length()));
                if (owner.isPresent() && owner.get().isGone() && Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                        && Files.getOwner(file, java.nio.file.LinkOption.NOFOLLOW_LINKS).getName().equals(user)) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException | RuntimeException e) {
            log().log(System.Logger.Level.DEBUG, "Could not look for files of gone processes in " + dir, e);
        }
    }

    /** On Linux, whether {@code pid} has exited and waits to be reaped (state Z or X in /proc); false wherever that cannot be read. */
    private static boolean exitedUnreaped(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int name = stat.lastIndexOf(')'); // the command name, in parentheses, may hold anything
            char state = name >= 0 && name + 2 < stat.length() ? stat.charAt(name + 2) : '?';
            return state == 'Z' || state == 'X';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The owner of a process of this machine described by {@code machineToken}, pid and start
     * time, as read back from a temporary file's name; empty if the token names another machine.
     */
    public static Optional<ProcessOwner> ofThisMachine(String machineToken, long pid, OptionalLong startMillis) {
        ProcessOwner current = Current.OWNER;
        return InputRules.notNull("machineToken", machineToken).equals(current.machineToken())
                ? Optional.of(new ProcessOwner(current.host, current.pidNamespace, pid, startMillis))
                : Optional.empty();
    }

    /** Host and pid namespace as one token of file-name characters (no '-'), for names of temporary files. */
    public String machineToken() {
        String token = pidNamespace.map(namespace -> host + "~" + namespace).orElse(host);
        return token.replaceAll("[^A-Za-z0-9.~]", "_");
    }

    /**
     * This owner as part of a file name, {@code machine-pid-start}, which {@link #ofName} reads
     * back; the file's name goes on with '-' and a unique part of its own.
     */
    public String nameTag() {
        return machineToken() + "-" + pid + "-" + (startMillis.isEmpty() ? "x" : Long.toString(startMillis.getAsLong()));
    }

    /**
     * The owner a name made of a {@link #nameTag()}, '-' and a unique part (with no '-') names;
     * empty for another machine's or a name of another form.
     */
    public static Optional<ProcessOwner> ofName(String tagAndUnique) {
        String[] fields = InputRules.notNull("tagAndUnique", tagAndUnique).split("-");
        if (fields.length != 4) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(fields[1]);
            OptionalLong start = fields[2].equals("x") ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(fields[2]));
            return ofThisMachine(fields[0], pid, start);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "pid " + pid + " on " + host
                + (startMillis.isEmpty() ? "" : ", started " + Instant.ofEpochMilli(startMillis.getAsLong()));
    }

    private static ProcessOwner describeCurrent() {
        ProcessHandle self = ProcessHandle.current();
        OptionalLong start = self.info().startInstant()
                .map(instant -> OptionalLong.of(instant.toEpochMilli())).orElse(OptionalLong.empty());
        return new ProcessOwner(readHostName(), readPidNamespace(), self.pid(), start);
    }

    /**
     * The kernel's host name where it can be read from a file; otherwise the JDK's, which may ask
     * DNS. Never fails: a machine without a name is "localhost", as the JDK would call it.
     */
    private static String readHostName() {
        try {
            Path kernel = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(kernel)) {
                String name = Files.readString(kernel, StandardCharsets.UTF_8).strip();
                if (!name.isEmpty()) {
                    return name;
                }
            }
            String name = InetAddress.getLocalHost().getHostName();
            return name == null || name.isBlank() ? "localhost" : name;
        } catch (IOException | RuntimeException e) {
            log().log(System.Logger.Level.DEBUG, "cannot read the host name", e);
            return "localhost";
        }
    }

    /** The Linux pid namespace of this process; empty where there is none to read. */
    private static Optional<String> readPidNamespace() {
        try {
            Path link = Path.of("/proc/self/ns/pid");
            return Files.isSymbolicLink(link) ? Optional.of(Files.readSymbolicLink(link).toString()) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            log().log(System.Logger.Level.DEBUG, "cannot read the pid namespace", e);
            return Optional.empty();
        }
    }
}
