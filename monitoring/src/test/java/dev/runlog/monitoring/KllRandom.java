package dev.runlog.monitoring;

import java.lang.reflect.Field;
import java.util.Random;
import org.apache.datasketches.kll.KllSketch;

/**
 * Seeds the one random generator every KLL sketch compacts with. DataSketches keeps it in a
 * package-private static field with no public seed, so without this a test that fills sketches past
 * their exact size would see slightly different statistics on every run. Tests run on the class
 * path, where the field can be reached; tests in this module run one at a time.
 */
final class KllRandom {
    private KllRandom() {
    }

    static void seed(long seed) {
        try {
            Field field = KllSketch.class.getDeclaredField("random");
            field.setAccessible(true);
            ((Random) field.get(null)).setSeed(seed);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("DataSketches' KLL sketch no longer has its static random: " + e, e);
        }
    }
}
