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
        int query = rest.indexOf('?');
        if (query >= 0) {
            for (String option : rest.substring(query + 1).split("&")) {
                int eq = option.indexOf('=');
                String name = eq < 0 ? option : option.substring(0, eq);
                if (!name.equals("artifacts") || eq < 0 || eq == option.length() - 1) {
                    throw new InvalidInputException("Tracking URI '" + uri + "': unknown option '" + option
                            + "'; the sqlite store takes only artifacts=DIR");
                }
                artifacts = URLDecoder.decode(option.substring(eq + 1), StandardCharsets.UTF_8);
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
        SqliteDatabase db = SqliteDatabase.open(file);
        return new Stores(new SqliteTrackingStore(db), ArtifactStore.localFilesystem(artifactRoot));
    }
}
