package dev.runlog.tracking.spi;

import dev.runlog.tracking.InvalidInputException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Where a store keeps its artifacts, from one location string: what a store URI's
 * {@code ?artifacts=LOCATION} gives, the same for every store. A store calls
 * {@link #open(String, Map)} with the location and the options of its URI it does not take itself.
 *
 * <ul>
 *   <li>a directory path, absolute or relative to the working directory ({@code /mnt/team/runlog},
 *       {@code runs/artifacts}), or a {@code file:} URI ({@code file:///mnt/team/runlog}):
 *       {@link ArtifactStore#localFilesystem(Path)} there; a directory takes no options;</li>
 *   <li>a URI of another scheme ({@code s3://bucket/prefix}): the {@link ArtifactStoreProvider} of
 *       that scheme, found through {@link Plugins}; a scheme no provider on the class path or module
 *       path handles is an {@link InvalidInputException} naming the scheme and the module to add.</li>
 * </ul>
 *
 * A scheme has at least two characters, so a Windows path such as {@code C:\runs} stays a path; a
 * relative directory whose name holds a colon is written {@code ./name:x}.
 */
public final class ArtifactStores {
    /** Artifact stores Runlog ships, so a missing one is named with the module that brings it. */
    private static final Map<String, String> KNOWN_MODULES = Map.of("s3", "dev.runlog:artifacts-s3");
    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]+):");

    private ArtifactStores() {
    }

    /**
     * Opens the artifact store at {@code location}.
     *
     * @param options options for the store at the location, by name; every name must be one of
     *                {@link #optionNames(String)} and every value non-empty
     * @throws InvalidInputException if the location is empty or malformed, names a scheme no
     *                               provider handles, or an option is unknown or empty
     */
    public static ArtifactStore open(String location, Map<String, String> options) {
        InputRules.notNull("location", location);
        InputRules.notNull("options", options);
        // Not containsKey(null): Map.of and Map.copyOf maps throw on it instead of answering.
        for (String name : options.keySet()) {
            if (name == null) {
                throw new InvalidInputException("Artifact location '" + InputRules.hideCredentials(location) + "': an option has no name");
            }
        }
        Map<String, String> checked = new TreeMap<>(options);
        String scheme = scheme(location);
        Set<String> known = scheme == null || scheme.equals("file") ? Set.of() : provider(location, scheme).optionNames();
        for (Map.Entry<String, String> option : checked.entrySet()) {
            if (!known.contains(option.getKey())) {
                // The name only: an unknown option may be a secret misspelt or misplaced.
                throw new InvalidInputException("Artifact location '" + InputRules.hideOptionValues(location) + "' takes no option '"
                        + option.getKey() + "'; " + (known.isEmpty() ? "it takes no options"
                                : "it takes " + String.join(", ", new TreeSet<>(known))));
            }
            if (option.getValue() == null || option.getValue().isEmpty()) {
                throw new InvalidInputException("Artifact location '" + InputRules.hideCredentials(location) + "': option '" + option.getKey()
                        + "' has no value");
            }
        }
        if (scheme == null) {
            return ArtifactStore.localFilesystem(localPath(location, location));
        }
        if (scheme.equals("file")) {
            return ArtifactStore.localFilesystem(fileUriPath(location));
        }
        return provider(location, scheme).open(uri(location), Map.copyOf(checked));
    }

    /**
     * The option names the store at {@code location} takes: none for a directory, the provider's
     * {@link ArtifactStoreProvider#optionNames()} for a URI. A store uses it to tell which options
     * of its URI are meant for its artifacts.
     *
     * @throws InvalidInputException as {@link #open(String, Map)} does for the location
     */
    public static Set<String> optionNames(String location) {
        InputRules.notNull("location", location);
        String scheme = scheme(location);
        return scheme == null || scheme.equals("file") ? Set.of() : Set.copyOf(provider(location, scheme).optionNames());
    }

    /** The lowercase scheme of a location, or null when it is a plain path. */
    private static String scheme(String location) {
        if (location.isBlank()) {
            throw new InvalidInputException("Artifact location is empty; give a directory or a URI such as s3://bucket/prefix");
        }
        var matcher = SCHEME.matcher(location);
        return matcher.find() ? matcher.group(1).toLowerCase(Locale.ROOT) : null;
    }

    /**
     * The directory of a {@code file:} URI. One that a store URI's decoding left unescaped
     * ({@code file:///runs/team share}) is read literally, as the path after {@code file://}.
     */
    private static Path fileUriPath(String location) {
        try {
            return Path.of(new URI(location)).toAbsolutePath().normalize();
        } catch (URISyntaxException e) {
            String rest = location.substring("file:".length());
            if (rest.startsWith("///") || !rest.startsWith("//")) {
                return localPath(location, rest.replaceFirst("^//", ""));
            }
            throw new InvalidInputException("Artifact location '" + InputRules.hideCredentials(location)
                    + "' names a host; write file:///absolute/dir or a plain path");
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            throw new InvalidInputException("Artifact location '" + InputRules.hideCredentials(location)
                    + "' is not a local directory URI; write file:///absolute/dir or a plain path: " + e.getMessage());
        }
    }

    /** {@code path} as an absolute path; one the file system refuses (a NUL byte) is bad input. */
    private static Path localPath(String location, String path) {
        try {
            return Path.of(path).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new InvalidInputException("Artifact location '" + InputRules.hideCredentials(location) + "' is not a path this file system takes: "
                    + InputRules.hideCredentials(e.getMessage()));
        }
    }

    private static URI uri(String location) {
        try {
            return new URI(location);
        } catch (URISyntaxException e) {
            throw new InvalidInputException("Artifact location '" + InputRules.hideCredentials(location) + "' is not a valid URI: "
                    + InputRules.hideCredentials(e.getMessage()));
        }
    }

    private static ArtifactStoreProvider provider(String location, String scheme) {
        Iterable<ArtifactStoreProvider> providers = Plugins.load(ArtifactStoreProvider.class,
                loader -> ServiceLoader.load(ArtifactStoreProvider.class, loader));
        return Plugins.providerFor(providers, ArtifactStoreProvider::scheme, scheme, available ->
                new InvalidInputException("No artifact store for scheme '" + scheme + "' (artifact location '" + InputRules.hideCredentials(location)
                        + "'): " + Plugins.moduleHint(KNOWN_MODULES.getOrDefault(scheme, ""), "",
                        "check the spelling, or give a directory")
                        + ". Artifact schemes available now: file"
                        + (available.isEmpty() ? "" : ", " + String.join(", ", available))));
    }
}
