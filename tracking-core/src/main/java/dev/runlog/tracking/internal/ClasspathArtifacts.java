package dev.runlog.tracking.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What is on this JVM's class path and module path, jar by jar, with the Maven coordinates each
 * jar declares: the {@code runlog/classpath.json} artifact of a tracker built with
 * {@code recordClasspath(true)}.
 */
final class ClasspathArtifacts {
    /** The artifact each run gets. */
    static final String ARTIFACT = "runlog/classpath.json";
    private static final Pattern VERSIONED_NAME = Pattern.compile("(.+?)-(\\d[\\w.+-]*)\\.jar");

    private ClasspathArtifacts() {
    }

    /** The entries of {@code java.class.path} then {@code jdk.module.path}, described. */
    static Map<String, Object> describe() {
        List<Map<String, String>> entries = new ArrayList<>();
        for (String property : new String[] {"java.class.path", "jdk.module.path"}) {
            String value = System.getProperty(property);
            if (value == null) {
                continue;
            }
            for (String entry : value.split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    entries.addAll(describe(Path.of(entry)));
                }
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("javaVersion", System.getProperty("java.version"));
        json.put("entries", entries);
        return json;
    }

    /** One entry per Maven artifact the jar holds (a shaded jar holds several), else one from its manifest or name. */
    static List<Map<String, String>> describe(Path entry) {
        if (Files.isDirectory(entry)) {
            return List.of(Map.of("directory", entry.toAbsolutePath().toString()));
        }
        String file = entry.getFileName() == null ? entry.toString() : entry.getFileName().toString();
        List<Map<String, String>> found = new ArrayList<>();
        if (Files.isRegularFile(entry)) {
            try (JarFile jar = new JarFile(entry.toFile())) {
                for (Enumeration<JarEntry> all = jar.entries(); all.hasMoreElements(); ) {
                    JarEntry candidate = all.nextElement();
                    String name = candidate.getName();
                    if (name.startsWith("META-INF/maven/") && name.endsWith("/pom.properties")) {
                        Properties pom = new Properties();
                        try (InputStream in = jar.getInputStream(candidate)) {
                            pom.load(in);
                        }
                        found.add(coordinates(file, pom.getProperty("groupId"), pom.getProperty("artifactId"),
                                pom.getProperty("version")));
                    }
                }
                if (found.isEmpty() && jar.getManifest() != null) {
                    Attributes main = jar.getManifest().getMainAttributes();
                    String title = main.getValue(Attributes.Name.IMPLEMENTATION_TITLE);
                    String version = main.getValue(Attributes.Name.IMPLEMENTATION_VERSION);
                    if (version != null) {
                        found.add(coordinates(file, null, title, version));
                    }
                }
            } catch (IOException | SecurityException e) {
                // Not a readable jar: recorded by its name alone.
            }
        }
        if (found.isEmpty()) {
            Matcher versioned = VERSIONED_NAME.matcher(file);
            found.add(versioned.matches() ? coordinates(file, null, versioned.group(1), versioned.group(2))
                    : coordinates(file, null, null, null));
        }
        return found;
    }

    private static Map<String, String> coordinates(String file, String groupId, String artifactId, String version) {
        Map<String, String> described = new LinkedHashMap<>();
        described.put("file", file);
        if (groupId != null) {
            described.put("groupId", groupId);
        }
        if (artifactId != null) {
            described.put("artifactId", artifactId);
        }
        if (version != null) {
            described.put("version", version);
        }
        return described;
    }
}
