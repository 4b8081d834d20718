package dev.runlog.tracking.internal.flavors;

import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.ModelFlavor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code files}: a model that already is a file or a directory (ONNX, PMML, an XGBoost booster, a
 * DJL model folder), kept byte for byte. It loads back as a {@link Path} to a private copy.
 */
public final class FilesFlavor implements ModelFlavor {
    public static final FilesFlavor INSTANCE = new FilesFlavor();

    private FilesFlavor() {
    }

    @Override
    public String name() {
        return "files";
    }

    @Override
    public Map<String, String> save(Object model, Path directory) throws IOException {
        if (!(model instanceof Path source)) {
            throw new InvalidInputException("The files flavor stores a java.nio.file.Path, not a "
                    + (model == null ? "null" : model.getClass().getName()));
        }
        if (Files.isSymbolicLink(source) || !Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidInputException("Model path " + source + " is not a file or directory"
                    + (Files.isSymbolicLink(source) ? " (it is a symbolic link)" : ""));
        }
        String name = source.getFileName().toString();
        if (copyTree(source, directory.resolve(name)) == 0) {
            throw new InvalidInputException("Model directory " + source + " holds no files; a files model keeps files,"
                    + " so it would load as nothing");
        }
        return Map.of("path", name);
    }

    @Override
    public <T> T load(Path directory, Class<T> type) throws IOException {
        if (!type.isAssignableFrom(Path.class)) {
            throw new InvalidInputException("A files model loads as a java.nio.file.Path, not a " + type.getName());
        }
        try (Stream<Path> children = Files.list(directory)) {
            List<Path> entries = children.toList();
            if (entries.size() != 1) {
                throw new InvalidInputException("A files model holds one file or directory; found " + entries.size());
            }
            return type.cast(entries.get(0));
        }
    }

    /**
     * Copies a file or a tree, refusing links so that nothing outside the model is picked up, and
     * anything that is not a regular file (a device such as {@code /dev/zero} or a FIFO would be read
     * without end); returns how many files it copied.
     */
    static int copyTree(Path source, Path target) throws IOException {
        if (Files.isSymbolicLink(source)) {
            throw new InvalidInputException("Model path " + source + " is a symbolic link; links are not stored");
        }
        if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(target);
            int copied = 0;
            try (Stream<Path> children = Files.list(source)) {
                for (Path child : children.sorted().toList()) {
                    copied += copyTree(child, target.resolve(child.getFileName().toString()));
                }
            }
            return copied;
        }
        if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidInputException("Model path " + source + " is not a regular file or a directory (a device,"
                    + " FIFO or socket); only files are stored");
        }
        Files.copy(source, target);
        return 1;
    }
}
