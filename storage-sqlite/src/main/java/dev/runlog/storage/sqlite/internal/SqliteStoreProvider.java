package dev.runlog.storage.sqlite.internal;

import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.spi.ArtifactStore;
import dev.runlog.tracking.spi.StoreProvider;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * {@code sqlite:PATH}: tracking data in the SQLite file {@code PATH} (relative paths are resolved
 * against the working directory), artifacts in the directory {@code PATH.artifacts} beside it, or
 * wherever {@code sqlite:PATH?artifacts=DIR} says. SQLAlchemy's spelling, as MLflow users write it,
 * works too: {@code sqlite:///relative.db} and {@code sqlite:////absolute/path.db}.
 *
 * <p>{@code sqlite:PATH?synchronous=full} makes every commit fsync before it returns, so what a
 * returned call stored survives a power cut (MLflow's SQLite store does this); the default,
 * {@code synchronous=normal}, survives the process being killed, and a power cut may lose the last
 * commits. Options are joined by {@code &}; any other option, value or a repeated one is an
 * {@link InvalidInputException} naming it, before any file is touched.
 */
public final class SqliteStoreProvider implements StoreProvider {
    @Override
    public String scheme() {
        return "sqlite";
    }

    @Override
    public Stores open(String uri) {
        String rest = uri.substring(uri.indexOf(':') + 1);
        String artifacts = null;
        SqliteDatabase.Synchronous synchronous = null;
        int query = rest.indexOf('?');
        if (query >= 0) {
            for (String option : rest.substring(query + 1).split("&", -1)) {
                int eq = option.indexOf('=');
                String name = eq < 0 ? option : option.substring(0, eq);
                String value = eq < 0 ? "" : decode(uri, option.substring(eq + 1));
                if (value.isEmpty() || !(name.equals("artifacts") || name.equals("synchronous"))) {
                    throw new InvalidInputException("Tracking URI '" + uri + "': unknown option '" + option
                            + "'; the sqlite store takes artifacts=DIR and synchronous=normal|full");
                }
                if (name.equals("artifacts") ? artifacts != null : synchronous != null) {
                    throw new InvalidInputException("Tracking URI '" + uri + "' gives option '" + name + "' twice");
                }
                if (name.equals("artifacts")) {
                    artifacts = value;
                } else {
                    synchronous = synchronous(uri, value);
                }
            }
            rest = rest.substring(0, query);
        }
        if (rest.startsWith("//")) {
            // SQLAlchemy's form, which MLflow users write: sqlite:///relative.db, sqlite:////abs.db.
            if (!rest.startsWith("///")) {
                throw new InvalidInputException("Tracking URI '" + uri + "' names a host; a SQLite file is local:"
                        + " write sqlite:PATH, sqlite:///relative/path or sqlite:////absolute/path");
            }
            rest = rest.substring(3);
        }
        if (rest.isBlank()) {
            throw new InvalidInputException("Tracking URI '" + uri + "' names no file; write sqlite:PATH, such as sqlite:runlog.db");
        }
        Path file = Path.of(rest).toAbsolutePath().normalize();
        Path artifactRoot = artifacts != null
                ? Path.of(artifacts).toAbsolutePath().normalize()
                : file.resolveSibling(file.getFileName() + ".artifacts");
        SqliteDatabase db = SqliteDatabase.open(file, synchronous != null ? synchronous : SqliteDatabase.Synchronous.NORMAL);
        return new Stores(new SqliteTrackingStore(db), ArtifactStore.localFilesystem(artifactRoot));
    }

    private static String decode(String uri, String value) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("Tracking URI '" + uri + "': option value '" + value
                    + "' is not valid %-encoding: " + e.getMessage());
        }
    }

    /** {@code normal} or {@code full}, in any letter case, as SQLite's own pragma reads them; nothing else. */
    private static SqliteDatabase.Synchronous synchronous(String uri, String value) {
        for (SqliteDatabase.Synchronous s : SqliteDatabase.Synchronous.values()) {
            if (s.name().equalsIgnoreCase(value)) {
                return s;
            }
        }
        throw new InvalidInputException("Tracking URI '" + uri + "': synchronous='" + value
                + "' is not a durability the sqlite store offers; write synchronous=normal (the default: a commit"
                + " survives the process dying) or synchronous=full (a commit survives a power cut too)");
    }
}
