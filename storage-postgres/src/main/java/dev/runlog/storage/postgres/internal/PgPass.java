package dev.runlog.storage.postgres.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * libpq's password file: {@code PGPASSFILE}, else {@code ~/.pgpass}. Each line is
 * {@code hostname:port:database:username:password}; {@code *} in any of the first four fields
 * matches anything, {@code \:} and {@code \\} stand for a colon and a backslash, lines starting with
 * {@code #} are comments, and the first matching line wins. As libpq does, a file that its group or
 * others may read is ignored (with a warning), since it would expose the passwords.
 */
final class PgPass {
    private static final System.Logger LOG = System.getLogger(PgPass.class.getName());
    private static final Set<PosixFilePermission> TOO_OPEN = Set.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private PgPass() {
    }

    /** The password file to read: {@code PGPASSFILE} if set, else {@code .pgpass} in {@code home}. */
    static Path file(UnaryOperator<String> environment, Path home) {
        String named = environment.apply("PGPASSFILE");
        return named != null && !named.isEmpty() ? Path.of(named) : home.resolve(".pgpass");
    }

    /** The password of the first line matching the connection, if the file exists and has one. */
    static Optional<String> lookup(Path file, String host, int port, String database, String user) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.stream().anyMatch(TOO_OPEN::contains)) {
                LOG.log(System.Logger.Level.WARNING, "Password file {0} is ignored: its group or others may read it;"
                        + " make it private (chmod 0600) as libpq requires", file);
                return Optional.empty();
            }
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system (Windows): libpq does not check there either.
        } catch (IOException e) {
            return Optional.empty();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Password file {0} cannot be read: {1}", file, e.getMessage());
            return Optional.empty();
        }
        String[] wanted = {host, Integer.toString(port), database, user};
        for (String line : lines) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            List<String> fields = fields(line);
            if (fields.size() < 5) {
                continue; // libpq skips malformed lines
            }
            if (matches(fields, wanted)) {
                return Optional.of(fields.get(4));
            }
        }
        return Optional.empty();
    }

    private static boolean matches(List<String> fields, String[] wanted) {
        for (int i = 0; i < wanted.length; i++) {
            String field = fields.get(i);
            if (!field.equals("*") && !field.equals(wanted[i])) {
                return false;
            }
        }
        return true;
    }

    /** Splits a line at unescaped colons; the fifth field (the password) takes the rest of the line. */
    private static List<String> fields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                field.append(line.charAt(++i));
            } else if (c == ':' && fields.size() < 4) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
