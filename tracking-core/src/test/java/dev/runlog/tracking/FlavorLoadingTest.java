package dev.runlog.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.fixtures.cart.Node;
import dev.runlog.tracking.fixtures.cart.SplitRule;
import dev.runlog.tracking.fixtures.forest.Forest;
import dev.runlog.tracking.fixtures.plugin.Weights;
import dev.runlog.tracking.fixtures.util.IntSet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the built-in flavors do on load, whatever the store: the json flavor loading a model as an
 * abstract class, and the java-serialized flavor naming every class it refuses at once.
 */
class FlavorLoadingTest {
    private static final String FIXTURES = "dev.runlog.tracking.fixtures.";

    private final Tracker tracker = Tracker.builder().uri("memory:").shutdownHook(false).build();

    @AfterEach
    void close() {
        tracker.close();
    }

    /** An abstract class of the caller's, which Jackson cannot instantiate by itself. */
    public abstract static class Scorer {
        public abstract double score(double x);
    }

    public static final class ThresholdScorer extends Scorer {
        public double threshold;

        @Override
        public double score(double x) {
            return x >= threshold ? 1 : 0;
        }
    }

    public abstract static class Ranker {
    }

    private String logModel(Object model, ModelFlavor flavor) {
        try (ActiveRun run = tracker.startRun("flavors")) {
            return run.logModel("model", model, flavor).uri();
        }
    }

    /** Weights Jackson cannot see: a private field without a getter. */
    public static final class HiddenWeights {
        private double[] w = {1, 2};
    }

    public record Holder(String name, HiddenWeights weights) {
    }

    public record Stateless() {
    }

    @Test
    void aValueWhoseDataJsonCannotSeeIsRefusedNotWrittenAsAnEmptyObject() {
        // Written as {}, such a model loaded back as a blank object: its weights were lost without a word.
        try (ActiveRun run = tracker.startRun("flavors")) {
            InvalidInputException model = assertThrows(InvalidInputException.class, () -> run.logModel("model", new HiddenWeights()));
            assertTrue(model.getMessage().contains(HiddenWeights.class.getName()), model.getMessage());
            assertTrue(model.getMessage().contains("use a record, add getters"), model.getMessage());
            assertTrue(!model.getMessage().contains("disable SerializationFeature"), model.getMessage());
            assertThrows(InvalidInputException.class, () -> run.logModel("nested", new Holder("a", new HiddenWeights())));
            assertThrows(InvalidInputException.class, () -> run.logJson(new Object(), "config.json"));
            assertThrows(InvalidInputException.class, () -> run.logModel("example", new Holder("a", null),
                    ModelOptions.defaults().inputExample(new HiddenWeights())));
            assertEquals(List.of(), tracker.listArtifacts(run.id(), ""));

            String stateless = run.logModel("stateless", new Stateless()).uri();
            assertEquals(new Stateless(), tracker.loadModel(stateless, Stateless.class));
        }
    }

    @Test
    void jsonModelLoadsAsAnAbstractClassItsRecordedClassExtends() {
        ThresholdScorer scorer = new ThresholdScorer();
        scorer.threshold = 0.75;
        String uri = logModel(scorer, ModelFlavor.json());

        Scorer loaded = tracker.loadModel(uri, Scorer.class);
        assertInstanceOf(ThresholdScorer.class, loaded);
        assertEquals(1.0, loaded.score(0.8));
        assertEquals(0.0, loaded.score(0.7));

        InvalidInputException refused = assertThrows(InvalidInputException.class,
                () -> tracker.loadModel(uri, Ranker.class));
        assertTrue(refused.getMessage().contains(ThresholdScorer.class.getName())
                && refused.getMessage().contains(Ranker.class.getName()), refused.getMessage());
    }

    /** A concrete class with ThresholdScorer's field and nothing else in common with it. */
    public static final class Lookalike {
        public double threshold;
    }

    @Test
    void jsonModelLoadsAsItsOwnClassOrASupertypeNeverAsAnUnrelatedConcreteClass() {
        ThresholdScorer scorer = new ThresholdScorer();
        scorer.threshold = 0.5;
        String uri = logModel(scorer, ModelFlavor.json());

        assertEquals(0.5, tracker.loadModel(uri, ThresholdScorer.class).threshold);
        InvalidInputException refused = assertThrows(InvalidInputException.class,
                () -> tracker.loadModel(uri, Lookalike.class));
        assertTrue(refused.getMessage().contains(ThresholdScorer.class.getName())
                && refused.getMessage().contains(Lookalike.class.getName()), refused.getMessage());
        assertInstanceOf(Map.class, tracker.loadModel(uri, Object.class), "as Object: plain maps, as before");
        // A JDK type reads the JSON by Jackson's mapping, whatever class was saved; one it cannot
        // fill names both classes, the recorded one too.
        assertEquals(0.5, ((java.util.TreeMap<?, ?>) tracker.loadModel(uri, java.util.TreeMap.class)).get("threshold"));
        InvalidInputException notRunnable = assertThrows(InvalidInputException.class,
                () -> tracker.loadModel(uri, Runnable.class));
        assertTrue(notRunnable.getMessage().startsWith("The stored json model, saved as a " + ThresholdScorer.class.getName()
                + ", does not read as a java.lang.Runnable: "), notRunnable.getMessage());
    }

    @Test
    void javaSerializedModelLoadsThroughTheLoaderOfTheTypeAskedFor(@org.junit.jupiter.api.io.TempDir Path classes)
            throws Exception {
        // The fixture's class, copied where only a child loader sees it: the class a plugin or a source launcher defines.
        String resource = Weights.class.getName().replace('.', '/') + ".class";
        Path copy = classes.resolve(resource);
        Files.createDirectories(copy.getParent());
        try (var in = Weights.class.getClassLoader().getResourceAsStream(resource)) {
            Files.copy(in, copy);
        }
        try (java.net.URLClassLoader child = new java.net.URLClassLoader(new java.net.URL[] {classes.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            Class<?> type = Class.forName(Weights.class.getName(), true, child);
            Object model = type.getConstructor(double[].class).newInstance((Object) new double[] {0.25, 0.5});
            String uri = logModel(model, ModelFlavor.javaSerialized());
            Object loaded = tracker.loadModel(uri, type, ModelFlavor.javaSerialized());
            assertEquals(type, loaded.getClass(), "the child loader's class, not the application's namesake");
            assertTrue(Arrays.equals(new double[] {0.25, 0.5}, (double[]) type.getField("values").get(loaded)));
        }
    }

    private static Forest forest() {
        Node leaf = new Node("leaf", 2, null);
        Node root = new Node("root", 0, leaf);
        Map<String, Object> tree = new HashMap<>();
        tree.put("root", root);
        tree.put("depth", 2);
        List<Map<String, Object>> trees = new ArrayList<>(List.of(tree, new HashMap<>(Map.of("size", 1L))));
        Map<String, IntSet> features = new LinkedHashMap<>();
        features.put("petal", new IntSet(1, 5, 9));
        return new Forest(trees, new Node[] {root, leaf}, new double[][] {{0.5, 1.5}, {2.5}}, SplitRule.ENTROPY,
                features);
    }

    @Test
    void javaSerializedRefusalListsEveryRefusedClassWithoutInstantiatingAny() {
        Forest forest = forest();
        String uri = logModel(forest, ModelFlavor.javaSerialized());
        int readsBefore = IntSet.READS.get();

        ClassNotAllowedException refused = assertThrows(ClassNotAllowedException.class,
                () -> tracker.loadModel(uri, Forest.class));
        Set<String> expected = Set.of(FIXTURES + "cart.Node", FIXTURES + "base.AbstractNode",
                "[L" + FIXTURES + "cart.Node;", FIXTURES + "cart.SplitRule", FIXTURES + "util.IntSet",
                FIXTURES + "util.IntSet$Bits");
        assertEquals(expected, new LinkedHashSet<>(refused.refusedClasses()), refused.getMessage());
        assertEquals(expected.size(), refused.refusedClasses().size(), "each class once: " + refused.refusedClasses());
        assertEquals(readsBefore, IntSet.READS.get(), "no refused class was deserialized");
        String allowAll = "ModelFlavor.javaSerialized(\"" + FIXTURES + "base\", \"" + FIXTURES + "cart\", \""
                + FIXTURES + "util\")";
        assertTrue(refused.getMessage().contains(allowAll), refused.getMessage());
        refused.refusedClasses().forEach(c -> assertTrue(refused.getMessage().contains(c), c));

        ClassNotAllowedException rest = assertThrows(ClassNotAllowedException.class,
                () -> tracker.loadModel(uri, Forest.class, ModelFlavor.javaSerialized(FIXTURES + "cart")));
        assertEquals(Set.of(FIXTURES + "base.AbstractNode", FIXTURES + "util.IntSet", FIXTURES + "util.IntSet$Bits"),
                new LinkedHashSet<>(rest.refusedClasses()), rest.getMessage());
        assertTrue(rest.getMessage().contains(allowAll), "the suggestion keeps the packages already allowed: "
                + rest.getMessage());

        assertEquals(forest, tracker.loadModel(uri, Forest.class, ModelFlavor.javaSerialized(
                FIXTURES + "base", FIXTURES + "cart", FIXTURES + "util")));
    }

    /** A flavor named like the built-in one that stores the bytes it is given, as a damaged or hostile file could hold. */
    private static ModelFlavor rawSerialized(byte[] stream) {
        return new ModelFlavor() {
            @Override
            public String name() {
                return "java-serialized";
            }

            @Override
            public Map<String, String> save(Object model, Path directory) throws IOException {
                Files.write(directory.resolve("model.ser"), stream); // the built-in flavor's file name
                return Map.of("file", "model.ser");
            }

            @Override
            public <T> T load(Path directory, Class<T> type) {
                throw new UnsupportedOperationException("only saves");
            }
        };
    }

    @Test
    void javaSerializedRefusalOfAStreamCutShortNamesWhatItFoundAndSaysTheListMayBeIncomplete() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(forest());
        }
        byte[] whole = bytes.toByteArray();
        // Cut right after IntSet's class descriptor (name, serialVersionUID, flags, no fields, end of
        // annotation, no superclass): the filter refuses it, and the walk runs out of bytes after it.
        byte[] name = (FIXTURES + "util.IntSet").getBytes(StandardCharsets.UTF_8);
        int at = indexOf(whole, name);
        assertTrue(at > 0, "IntSet is in the stream");
        String uri = logModel("the bytes below", rawSerialized(Arrays.copyOf(whole, at + name.length + 8 + 1 + 2 + 2)));

        ClassNotAllowedException refused = assertThrows(ClassNotAllowedException.class,
                () -> tracker.loadModel(uri, Forest.class));
        assertEquals(List.of(FIXTURES + "util.IntSet"), refused.refusedClasses());
        assertTrue(refused.getMessage().contains("maybe more"), refused.getMessage());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    /** A model holding nothing but JDK collections, which the class filter lets through. */
    public record Nested(String name, Set<Object> data) implements java.io.Serializable {
    }

    /**
     * HashSets nested 60 deep, each level's two sets holding the next level's two (a few hundred
     * objects): the class filter passes it, and rebuilding it hashed 2^60 sets, so loading never
     * ended. It is now refused as soon as the cost shows.
     */
    @Test
    @org.junit.jupiter.api.Timeout(value = 60, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aJavaSerializedBombOfNestedSetsIsRefusedInsteadOfHashingForever() {
        Set<Object> root = new java.util.HashSet<>();
        Set<Object> left = root;
        Set<Object> right = new java.util.HashSet<>();
        for (int i = 0; i < 60; i++) {
            Set<Object> a = new java.util.HashSet<>();
            Set<Object> b = new java.util.HashSet<>();
            a.add("level " + i);
            left.add(a);
            left.add(b);
            right.add(a);
            right.add(b);
            left = a;
            right = b;
        }
        String uri;
        try (ActiveRun run = tracker.startRun("bomb")) {
            uri = run.logModel("model", new Nested("bomb", root), ModelFlavor.javaSerialized()).uri();
        }
        IntegrityException refused = assertThrows(IntegrityException.class,
                () -> tracker.loadModel(uri, Nested.class, ModelFlavor.javaSerialized()));
        assertTrue(refused.getMessage().contains("a deserialization bomb"), refused.getMessage());
    }

    /**
     * Legitimate sharing stays loadable: a map of 300,000 keys sharing one list, and a wide tree of
     * sets with no shared members (3 levels of 100), load as saved.
     */
    @Test
    void javaSerializedCollectionsWithoutABombLoadAsSaved() {
        Map<String, Object> shared = new java.util.HashMap<>();
        List<Object> one = new java.util.ArrayList<>(List.of(new java.util.HashSet<>(Set.of("x"))));
        for (int i = 0; i < 300_000; i++) {
            shared.put("k" + i, one);
        }
        Set<Object> tree = new java.util.HashSet<>();
        for (int i = 0; i < 100; i++) {
            Set<Object> middle = new java.util.HashSet<>();
            for (int j = 0; j < 100; j++) {
                middle.add(new java.util.HashSet<>(Set.of(i * 100 + j)));
            }
            tree.add(middle);
        }
        Nested model = new Nested("fine", new java.util.HashSet<>(Set.of(shared, tree)));
        String uri;
        try (ActiveRun run = tracker.startRun("fine")) {
            uri = run.logModel("model", model, ModelFlavor.javaSerialized()).uri();
        }
        assertEquals(model, tracker.loadModel(uri, Nested.class, ModelFlavor.javaSerialized()));
    }

    @Test
    void theFilesFlavorStoresRegularFilesOnlyAndRefusesATreeWithNone() throws IOException {
        Path empty = Files.createTempDirectory("runlog-empty-model");
        try (ActiveRun run = tracker.startRun("files")) {
            for (String device : List.of("/dev/zero", "/dev/null")) {
                if (Files.exists(Path.of(device))) {
                    InvalidInputException e = assertThrows(InvalidInputException.class,
                            () -> run.logModel("dev", Path.of(device)), device);
                    assertTrue(e.getMessage().contains("is not a regular file or a directory"), e.getMessage());
                }
            }
            Files.createDirectories(empty.resolve("sub/deeper"));
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> run.logModel("empty", empty));
            assertTrue(e.getMessage().contains("holds no files"), e.getMessage());
            Files.writeString(empty.resolve("sub/deeper/weights.bin"), "w");
            String uri = run.logModel("kept", empty).uri();
            Path loaded = tracker.loadModel(uri, Path.class);
            assertEquals("w", Files.readString(loaded.resolve("sub/deeper/weights.bin")));
        } finally {
            try (java.util.stream.Stream<Path> walk = Files.walk(empty)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
