package dev.runlog.tracking.internal;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.spi.InputRules;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The tags that say what a run was made from: the code's git state, the JVM, the machine, the command. */
final class Reproducibility {
    private static final System.Logger LOG = System.getLogger(Reproducibility.class.getName());

    private Reproducibility() {
    }

    /** The tags for a process whose working directory is {@code workingDirectory}; a tag that cannot be read is left out. */
    static Map<String, String> tags(Path workingDirectory) {
        Map<String, String> tags = new LinkedHashMap<>();
        try {
            Optional<GitWorkTree> tree = GitWorkTree.locate(workingDirectory);
            if (tree.isPresent()) {
                tree.get().headCommit().ifPresent(commit -> tags.put(ActiveRun.GIT_COMMIT_TAG, commit));
                tree.get().branch().ifPresent(branch -> tags.put(ActiveRun.GIT_BRANCH_TAG, DefaultActiveRun.fitTagValue(branch)));
                tree.get().dirty().ifPresent(dirty -> tags.put(ActiveRun.GIT_DIRTY_TAG, dirty.toString()));
            }
        } catch (IOException | RuntimeException e) {
            // A tag we cannot read is not worth failing a run over; the run simply lacks it.
            LOG.log(System.Logger.Level.DEBUG, "cannot read the git work tree", e);
        }
        put(tags, ActiveRun.JAVA_VERSION_TAG, System.getProperty("java.version"));
        put(tags, ActiveRun.JAVA_VENDOR_TAG, System.getProperty("java.vendor"));
        put(tags, ActiveRun.OS_TAG, System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        host().ifPresent(host -> put(tags, ActiveRun.HOST_TAG, host));
        put(tags, ActiveRun.COMMAND_LINE_TAG, commandLine(System.getProperty("sun.java.command")));
        return tags;
    }

    /**
     * The command line as the tag records it: a store URI given as an argument (as the examples
     * take one) keeps no password in a tag that every reader of a shared store sees; the
     * credentials of a {@code scheme://user:secret@host}, a {@code password=} option and the word after
     * an option named like a secret ({@code --db-password PW}) are hidden.
     */
    static String commandLine(String command) {
        // Also a secret given as the argument after its option (--db-password PW, -token PW), which the
        // JVM records as the next word.
        return command == null ? null
                : InputRules.hideCredentials(command).replaceAll(
                        "(?i)((?:^|\\s)--?[\\w.-]*(?:password|passwd|secret|token|key)\\s+)(?!-)\\S+", "$1(hidden)");
    }

    private static void put(Map<String, String> tags, String key, String value) {
        if (value != null && !value.isBlank()) {
            tags.put(key, DefaultActiveRun.fitTagValue(value.trim()));
        }
    }

    /** The host's name, from the environment or {@code /etc/hostname} before asking the resolver, which may be slow. */
    static Optional<String> host() {
        for (String variable : new String[] {"HOSTNAME", "COMPUTERNAME"}) {
            String value = System.getenv(variable);
            if (value != null && !value.isBlank()) {
                return Optional.of(value.trim());
            }
        }
        try {
            Path etc = Path.of("/etc/hostname");
            if (Files.isRegularFile(etc)) {
                String name = Files.readString(etc, StandardCharsets.UTF_8).trim();
                if (!name.isEmpty()) {
                    return Optional.of(name);
                }
            }
            return Optional.of(InetAddress.getLocalHost().getHostName());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
