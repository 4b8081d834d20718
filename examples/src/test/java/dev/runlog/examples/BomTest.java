package dev.runlog.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The BOM must pin every module users depend on, at the build's version: a module added to the
 * reactor but forgotten in the BOM would make users mix versions. The README's dependency section
 * imports the BOM, so this is checked where the examples live.
 */
class BomTest {
    /**
     * Reactor modules that are not published for users: the examples, the benchmarks, the BOM
     * itself and the command-line tool, which ships as one runnable jar, not as a dependency.
     */
    private static final Set<String> NOT_PUBLISHED = Set.of("examples", "benchmarks", "bom", "cli");

    @Test
    void pinsEveryPublishedModuleAtTheProjectVersion() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        String parent = Files.readString(root.resolve("pom.xml"));
        String bom = Files.readString(root.resolve("bom/pom.xml"));

        Set<String> published = new TreeSet<>(all(parent, "<module>([^<]+)</module>"));
        published.removeAll(NOT_PUBLISHED);
        Set<String> pinned = new TreeSet<>(all(bom, "<artifactId>([^<]+)</artifactId>\\s*<version>\\$\\{project.version}</version>"));
        assertEquals(published, pinned, "modules in the reactor vs. modules the BOM pins");

        String projectVersion = first(parent, "<artifactId>runlog-parent</artifactId>\\s*<version>([^<]+)</version>");
        String bomVersion = first(bom, "<artifactId>runlog-bom</artifactId>\\s*<version>([^<]+)</version>");
        assertEquals(projectVersion, bomVersion, "the BOM's version");
    }

    private static Set<String> all(String text, String regex) {
        Set<String> found = new TreeSet<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            found.add(m.group(1).trim());
        }
        return found;
    }

    private static String first(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new AssertionError("no match for " + regex);
        }
        return m.group(1);
    }
}
