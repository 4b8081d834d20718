package dev.runlog.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The data sets the examples train on, shipped in this module's resources so the examples run on a
 * fresh machine without a download:
 *
 * <ul>
 *   <li>{@code datasets/iris.csv}: Fisher's Iris data, 150 flowers, 4 measurements, 3 species.</li>
 *   <li>{@code datasets/breast_cancer.csv}: the Breast Cancer Wisconsin (Diagnostic) data, 569
 *       tumours, 30 features, diagnosis {@code malignant} or {@code benign}.</li>
 * </ul>
 *
 * Both are from the UCI Machine Learning Repository (CC BY 4.0), with the column names
 * scikit-learn gives them.
 */
public final class ExampleData {
    private ExampleData() {
    }

    /** The Iris CSV file; the label column is {@code species}. */
    public static Path iris() {
        return file("iris.csv");
    }

    /** The breast cancer CSV file; the label column is {@code diagnosis}. */
    public static Path breastCancer() {
        return file("breast_cancer.csv");
    }

    /**
     * A resource as a file: {@link dev.runlog.tracking.Dataset#fromCsv} hashes and profiles a file,
     * so a resource inside a jar is first copied out, under its own name.
     */
    private static Path file(String name) {
        URL url = ExampleData.class.getResource("/datasets/" + name);
        if (url == null) {
            throw new IllegalStateException("resource datasets/" + name + " is missing from the class path");
        }
        try {
            if (url.getProtocol().equals("file")) {
                return Path.of(url.toURI());
            }
            Path dir = Files.createTempDirectory("runlog-examples");
            // Deleted at exit in the reverse order of these calls: the file, then its directory.
            dir.toFile().deleteOnExit();
            Path copy = dir.resolve(name);
            copy.toFile().deleteOnExit();
            try (InputStream in = url.openStream()) {
                Files.copy(in, copy);
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource datasets/" + name, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("resource URL " + url + " is not a valid URI", e);
        }
    }
}
