package dev.runlog.storage.sqlite.internal;

import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.spi.ArtifactStore;
import dev.runlog.tracking.spi.ArtifactStores;
import dev.runlog.tracking.spi.InputRules;
import dev.runlog.tracking.spi.StoreProvider;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code sqlite:PATH}: tracking data in the SQLite file {@code PATH} (relative paths are resolved
 * against the working directory), artifacts in the directory {@code PATH.artifacts} beside it, or
 * wherever {@code sqlite:PATH?artifacts=LOCATION} says: a directory, a {@code file:} URI, or a URI
 * an {@link dev.runlog.tracking.spi.ArtifactStoreProvider} handles ({@code s3://bucket/prefix}), whose
 * own options ({@code endpoint=...}) are given beside the store's, all read by {@link ArtifactStores}. SQLAlchemy's spelling, as MLflow users write it,
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
        return open(uri, true);
    }

    /** As {@link #open}, for a file that exists: a missing one is a {@link NotFoundException}, and none is made. */
    @Override
    public Stores openExisting(String uri) {
        return open(uri, false);
    }

    private Stores open(String uri, boolean create) {
        String rest = uri.substring(uri.indexOf(':') + 1);
        Map<String, String> options = new LinkedHashMap<>();
        int query = rest.indexOf('?');
        if (query >= 0) {
            for (String option : rest.substring(query + 1).split("&", -1)) {
                int eq = option.indexOf('=');
                String name = eq < 0 ? option : option.substring(0, eq);
                String value = eq < 0 ? "" : decode(uri, name, option.substring(eq + 1));
                if (value.isEmpty()) {
                    throw new InvalidInputException("Tracking URI '" + InputRules.hideOptionValues(uri) + "': option '" + name
                            + "' has no value" + (name.isEmpty() ? " nor name" : "") + "; write name=value, such as"
                            + " synchronous=full");
                }
                if (options.putIfAbsent(name, value) != null) {
                    throw new InvalidInputException("Tracking URI '" + InputRules.hideOptionValues(uri) + "' gives option '" + name + "' twice");
                }
            }
            rest = rest.substring(0, query);
        }
        String artifacts = options.remove("artifacts");
        String synchronous = options.remove("synchronous");
        // What is left is for the artifact store (s3://... takes endpoint, region, ...); a plain
        // directory takes nothing, so a typo is still refused here, naming it.
        Set<String> artifactOptions = artifacts == null ? Set.of() : ArtifactStores.optionNames(artifacts);
        for (Map.Entry<String, String> option : options.entrySet()) {
            if (!artifactOptions.contains(option.getKey())) {
                throw unknownOption(uri, option.getKey(), artifactOptions);
            }
        }
        if (rest.startsWith("//")) {
            // SQLAlchemy's form, which MLflow users write: sqlite:///relative.db, sqlite:////abs.db.
            if (!rest.startsWith("///")) {
                throw new InvalidInputException("Tracking URI '" + InputRules.hideOptionValues(uri) + "' names a host; a SQLite file is local:"
                        + " write sqlite:PATH, sqlite:///relative/path or sqlite:////absolute/path");
            }
            rest = rest.substring(3);
        }
        if (rest.isBlank()) {
            throw new InvalidInputException("Tracking URI '" + InputRules.hideOptionValues(uri) + "' names no file; write sqlite:PATH, such as sqlite:runlog.db");
        }
        if (rest.endsWith("/") || rest.endsWith(java.io.File.separator)) {
            // Path.of would drop the slash and make a file of the directory's name.
            throw new InvalidInputException("Tracking URI '" + InputRules.hideOptionValues(uri) + "' names a directory; a SQLite"
                    + " store is one file: write sqlite:" + rest + "runlog.db");
        }
        // SQLite's own spellings, which its driver would read but which here would name a file.
        if (rest.equals(":memory:")) {
            throw new InvalidInputException("Tracking URI '" + InputRules.hideOptionValues(uri) + "' would create a file named ':memory:'; for a store"
                    + " in memory write memory:, for a file sqlite:PATH");
        }
        if (rest.regionMatches(true, 0, "file:", 0, 5)) {
            throw new InvalidInputException("Tracking URI '" + InputRules.hideOptionValues(uri) + "' would create a file named '" + rest + "'; write"
                    + " sqlite:PATH (sqlite:runlog.db, sqlite:///relative.db, sqlite:////absolute.db), not SQLite's file: URIs");
        }
        SqliteDatabase.Synchronous durability = synchronous != null ? synchronous(uri, synchronous) : SqliteDatabase.Synchronous.NORMAL;
        NativeLibrary.warmUp(); // while the artifact store opens
        Path file;
        try {
            file = Path.of(rest).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new InvalidInputException("Tracking URI '" + InputRules.hideOptionValues(uri) + "' names a file this file system refuses: " + e.getMessage());
        }
        if (!create) {
            // An empty file (touch) holds no store either: SQLite would take it as a new database.
            String missing = !Files.exists(file) ? "the file does not exist" : isEmptyFile(file) ? "the file is empty" : null;
            if (missing != null) {
                throw new NotFoundException("No Runlog store at " + file + " (" + InputRules.hideOptionValues(uri)
                        + "): " + missing + ", and this opening makes none");
            }
        }
        // Opened before the database, so a bad location is refused before the file is created.
        ArtifactStore artifactStore = artifacts != null
                ? ArtifactStores.open(artifacts, options)
                : ArtifactStore.localFilesystem(file.resolveSibling(file.getFileName() + ".artifacts"));
        try {
            return new Stores(new SqliteTrackingStore(SqliteDatabase.open(file, durability)), artifactStore);
        } catch (RuntimeException e) {
            artifactStore.close();
            throw e;
        }
    }

    private static boolean isEmptyFile(Path file) {
        try {
            return Files.isRegularFile(file) && Files.size(file) == 0;
        } catch (java.io.IOException e) {
            return false; // the open says what is wrong with it
        }
    }

    /** Names the option, never its value: an unknown option may be a secret misspelt or misplaced. */
    private static InvalidInputException unknownOption(String uri, String option, Set<String> artifactOptions) {
        String more = artifactOptions == null || artifactOptions.isEmpty() ? ""
                : ", and its artifact location takes " + String.join(", ", new TreeSet<>(artifactOptions));
        return new InvalidInputException("Tracking URI '" + InputRules.hideOptionValues(uri) + "': unknown option '" + option
                + "'; the sqlite store takes artifacts=LOCATION (a directory or a URI such as s3://bucket/prefix)"
                + " and synchronous=normal|full" + more);
    }

    private static String decode(String uri, String name, String value) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("Tracking URI '" + InputRules.hideOptionValues(uri) + "': the value of option '" + name
                    + "' is not valid %-encoding: each '%' must begin a %XX escape (write a '%' itself as %25)");
        }
    }

    /** {@code normal} or {@code full}, in any letter case, as SQLite's own pragma reads them; nothing else. */
    private static SqliteDatabase.Synchronous synchronous(String uri, String value) {
        for (SqliteDatabase.Synchronous s : SqliteDatabase.Synchronous.values()) {
            if (s.name().equalsIgnoreCase(value)) {
                return s;
            }
        }
        throw new InvalidInputException("Tracking URI '" + InputRules.hideOptionValues(uri) + "': synchronous='" + value
                + "' is not a durability the sqlite store offers; write synchronous=normal (the default: a commit"
                + " survives the process dying) or synchronous=full (a commit survives a power cut too)");
    }
}
