package dev.runlog.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.registry.ModelRegistry;
import dev.runlog.tracking.Tracker;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A store, the registry and this library compile against the published API and SPI alone. Reads
 * every class file of each published module (its classes directory or its jar, whichever is on the
 * class path) and finds no reference into another module's {@code internal} packages, and none from
 * an {@code spi} package into any {@code internal} one. Class files, not sources: a fully qualified
 * name in the code counts as much as an import.
 */
class ModuleBoundariesTest {
    private static final Pattern INTERNAL = Pattern.compile("dev/runlog/[a-z/]+?/internal/");

    @Test
    void noModuleReachesIntoAnotherModulesInternalsAndNoSpiIntoAnyInternals() throws Exception {
        Map<String, Class<?>> modules = Map.of(
                "dev/runlog/tracking/internal/", Tracker.class,
                "dev/runlog/registry/internal/", ModelRegistry.class,
                "dev/runlog/storage/sqlite/internal/", Class.forName("dev.runlog.storage.sqlite.internal.SqliteStoreProvider"),
                "dev/runlog/junit/internal/", RunlogExtension.class,
                "dev/runlog/artifacts/s3/internal/", dev.runlog.artifacts.s3.S3ArtifactStore.class,
                "dev/runlog/monitoring/internal/", dev.runlog.monitoring.Reference.class,
                "dev/runlog/mlflow/internal/", dev.runlog.mlflow.MlflowImport.class);
        List<String> violations = new ArrayList<>();
        int classes = 0;
        for (Map.Entry<String, Class<?>> module : modules.entrySet()) {
            String own = module.getKey();
            try (Classes files = Classes.of(module.getValue())) {
                for (Path file : files.list()) {
                    classes++;
                    String name = files.root().relativize(file).toString().replace('\\', '/');
                    Matcher reference = INTERNAL.matcher(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
                    while (reference.find()) {
                        String target = reference.group();
                        boolean spi = name.contains("/spi/");
                        if (spi || !target.startsWith(own)) {
                            violations.add(name + " -> " + target);
                        }
                    }
                }
            }
        }
        assertTrue(classes > 100, "read only " + classes + " class files; is the class path scan broken?");
        assertEquals(List.of(), violations.stream().distinct().sorted().toList());
    }

    /** The class files of the module that holds {@code member}: a classes directory or a jar. */
    private record Classes(Path root, FileSystem jar) implements AutoCloseable {
        static Classes of(Class<?> member) throws IOException, URISyntaxException {
            Path location = Path.of(member.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(location)) {
                return new Classes(location, null);
            }
            FileSystem jar = FileSystems.newFileSystem(location);
            return new Classes(jar.getPath("/"), jar);
        }

        List<Path> list() throws IOException {
            try (Stream<Path> files = Files.walk(root)) {
                return files.filter(f -> f.toString().endsWith(".class")).toList();
            }
        }

        @Override
        public void close() throws IOException {
            if (jar != null) {
                jar.close();
            }
        }
    }
}
