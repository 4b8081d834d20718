package dev.runlog.storage.postgres.internal;

import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.spi.ArtifactStore;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Where a PostgreSQL store keeps artifact files, from the URI's {@code artifacts=} option: in the
 * database (no option) or under a directory every host mounts ({@code artifacts=/mnt/team/runlog}).
 * Each kind parses its own spelling in {@link #parse}; another kind (an object store URI) is one
 * more record and one more branch there.
 */
sealed interface ArtifactLocation {
    String PARAMETER = "artifacts";

    /** Whether files go into the database itself. */
    default boolean isDatabase() {
        return false;
    }

    /** Opens the artifact store; {@code database} makes the in-database one. */
    ArtifactStore open(Supplier<ArtifactStore> database);

    /** In the database's own tables: the default, reachable from every host that reaches the database. */
    record Database() implements ArtifactLocation {
        @Override
        public boolean isDatabase() {
            return true;
        }

        @Override
        public ArtifactStore open(Supplier<ArtifactStore> database) {
            return database.get();
        }

        @Override
        public String toString() {
            return "(the database)";
        }
    }

    /** Under a directory, typically a shared mount, laid out as {@link ArtifactStore#localFilesystem} lays it. */
    record Directory(Path root) implements ArtifactLocation {
        @Override
        public ArtifactStore open(Supplier<ArtifactStore> database) {
            return ArtifactStore.localFilesystem(root);
        }

        @Override
        public String toString() {
            return root.toString();
        }
    }

    /**
     * The location an {@code artifacts=} value names, or the database for null (no option).
     *
     * @param where names the URI in an error
     */
    static ArtifactLocation parse(String value, String where) {
        if (value == null) {
            return new Database();
        }
        int colon = value.indexOf(':');
        // A scheme of two letters or more: "C:\..." is a Windows path, not a scheme.
        if (colon > 1 && value.substring(0, colon).chars().allMatch(Character::isLetter)) {
            String scheme = value.substring(0, colon);
            if (!scheme.equals("file")) {
                throw new InvalidInputException(where + ": artifacts=" + value + " names a location of kind '" + scheme
                        + "', which the postgresql store cannot use; give a directory (artifacts=/mnt/team/runlog)"
                        + " or leave the option out to keep artifacts in the database");
            }
            value = value.substring(colon + 1).replaceFirst("^//", "");
        }
        try {
            return new Directory(Path.of(value).toAbsolutePath().normalize());
        } catch (InvalidPathException e) {
            throw new InvalidInputException(where + ": artifacts=" + value + " is not a directory path: " + e.getMessage());
        }
    }
}
