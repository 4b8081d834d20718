package dev.runlog.tracking.internal.flavors;

import dev.runlog.tracking.ClassNotAllowedException;
import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.ModelFlavor;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@code java-serialized}: Java serialization, with an allow-list on load. Deserialization
 * instantiates whatever classes the bytes name and runs their hooks, so an archive from elsewhere
 * could run code; the filter lets through only the model's own class (recorded at save and
 * required to be a subtype of the type asked for), plain JDK values and collections, and the
 * packages the caller names.
 */
public final class JavaSerializedFlavor implements ModelFlavor {
    static final String FILE = "model.ser";
    private static final Set<String> JDK_VALUE_CLASSES = Set.of(
            "java.lang.String", "java.lang.Boolean", "java.lang.Byte", "java.lang.Character", "java.lang.Short",
            "java.lang.Integer", "java.lang.Long", "java.lang.Float", "java.lang.Double", "java.lang.Number",
            "java.lang.Enum", "java.lang.Record", "java.math.BigInteger", "java.math.BigDecimal",
            "java.util.ArrayList", "java.util.LinkedList", "java.util.HashMap", "java.util.LinkedHashMap",
            "java.util.TreeMap", "java.util.HashSet", "java.util.LinkedHashSet", "java.util.TreeSet",
            "java.util.ArrayDeque", "java.util.Arrays$ArrayList", "java.util.CollSer",
            "java.util.Collections$UnmodifiableList", "java.util.Collections$UnmodifiableRandomAccessList",
            "java.util.Collections$UnmodifiableCollection", "java.util.Collections$UnmodifiableMap",
            "java.util.Collections$UnmodifiableSet", "java.util.Collections$EmptyList",
            "java.util.Collections$EmptyMap", "java.util.Collections$EmptySet");

    /** How many collections rebuilding one may visit beyond what its stream holds; see ModelInputStream#resolveObject. */
    static final long BOMB_COST = 1_000_000;
    /** What the filter records when it stops a read for its size limits rather than for a class. */
    private static final String BEYOND_LIMITS = "(beyond the depth, reference or size limits)";

    private final List<String> allowedPackages;

    public JavaSerializedFlavor(String... allowedPackages) {
        for (String p : allowedPackages) {
            if (p == null || p.isBlank()) {
                throw new InvalidInputException("an allowed package name must not be blank");
            }
        }
        this.allowedPackages = List.of(allowedPackages);
    }

    @Override
    public String name() {
        return "java-serialized";
    }

    @Override
    public Map<String, String> save(Object model, Path directory) throws IOException {
        if (!(model instanceof Serializable)) {
            throw new InvalidInputException("The java-serialized flavor stores Serializable objects; "
                    + (model == null ? "null" : model.getClass().getName()) + " is not one");
        }
        try (OutputStream file = Files.newOutputStream(directory.resolve(FILE));
             ObjectOutputStream out = new ObjectOutputStream(new BufferedOutputStream(file))) {
            out.writeObject(model);
        }
        return Map.of("class", model.getClass().getName(), "file", FILE);
    }

    @Override
    public <T> T load(Path directory, Class<T> type) throws IOException {
        Path file = directory.resolve(FILE);
        long size = Files.size(file);
        AtomicReference<String> refused = new AtomicReference<>();
        try (InputStream raw = Files.newInputStream(file);
             ObjectInputStream in = new ModelInputStream(new BufferedInputStream(raw), type)) {
            in.setObjectInputFilter(filter(type, size, refused));
            Object model = in.readObject();
            if (!type.isInstance(model)) {
                throw new InvalidInputException("The stored model is a " + model.getClass().getName() + ", not a " + type.getName());
            }
            return type.cast(model);
        } catch (InvalidClassException e) {
            if (refused.get() == null) {
                throw new IntegrityException("Refused to deserialize the java-serialized model: " + e.getMessage(), e);
            }
            if (refused.get().equals(BEYOND_LIMITS)) {
                throw new IntegrityException("Refused to deserialize the java-serialized model: its stream goes beyond"
                        + " the loader's limits (nesting depth 64, 10,000,000 references, the size of its file)", e);
            }
            throw notAllowed(file, type, refused.get());
        } catch (ClassNotFoundException e) {
            throw new InvalidInputException("The java-serialized model needs class " + e.getMessage()
                    + ", which is not on the class path", e);
        }
    }

    /**
     * Resolves the stream's classes through the loader of the type asked for first: the model's
     * classes live where that type does (a plugin's, an application server's or a source launcher's
     * loader), which the JDK's default, the nearest loader on the call stack (Runlog's), may not
     * see. Classes are resolved without initializing them; the filter still decides which are read.
     */
    private static final class ModelInputStream extends ObjectInputStream {
        private final ClassLoader loader;
        /** What rebuilding each collection read so far costs: collections reached through it, counted with repeats. */
        private final Map<Object, Long> costs = new IdentityHashMap<>();
        private long objects;

        ModelInputStream(InputStream in, Class<?> type) throws IOException {
            super(in);
            this.loader = type.getClassLoader();
            enableResolveObject(true);
        }

        /**
         * Refuses a deserialization bomb the class filter lets through: JDK sets and maps nested
         * into one another with shared members (a few hundred objects) make each set's read hash
         * its members again and again, time doubling with each level, so that loading never ends.
         * Each collection, once read, is costed as the collections its hash would visit, repeats
         * included; one that costs more than {@value #BOMB_COST} plus twice the objects read so
         * far (which a model with no such sharing never exceeds) stops the read before the next
         * level hashes it.
         */
        @Override
        protected Object resolveObject(Object obj) throws IOException {
            objects++;
            long cost = 1;
            if (obj instanceof Collection<?> collection) {
                for (Object member : collection) {
                    cost += costs.getOrDefault(member, 0L);
                }
            } else if (obj instanceof Map<?, ?> map) {
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    cost += costs.getOrDefault(entry.getKey(), 0L) + costs.getOrDefault(entry.getValue(), 0L);
                }
            } else {
                return obj;
            }
            if (cost > BOMB_COST + 2 * objects) {
                throw new IntegrityException("Refused to deserialize the java-serialized model: its collections nest"
                        + " into one another with shared members, so that rebuilding them would hash more than "
                        + BOMB_COST + " of them (a deserialization bomb); it is not loaded");
            }
            costs.put(obj, cost);
            return obj;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass description) throws IOException, ClassNotFoundException {
            if (loader != null) {
                try {
                    return Class.forName(description.getName(), false, loader);
                } catch (ClassNotFoundException notThere) {
                    // A primitive, or a class only the default resolution finds.
                }
            }
            return super.resolveClass(description);
        }
    }

    /**
     * The refusal of a model whose read stopped at {@code firstRefused}: the filter stops at the
     * first class it refuses, so the stream is walked again, without instantiating anything, to
     * name every class it needs that the filter would refuse.
     */
    private ClassNotAllowedException notAllowed(Path file, Class<?> type, String firstRefused) throws IOException {
        SerialStreamClasses.Result needed;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            needed = SerialStreamClasses.scan(in);
        }
        Set<String> refusedNames = new LinkedHashSet<>();
        for (String name : needed.classNames()) {
            if (!allows(name, type, () -> loadWithoutInitializing(name, type))) {
                refusedNames.add(name);
            }
        }
        // The walk may stop early on a stream it cannot follow; the filter's own refusal is certain.
        refusedNames.add(firstRefused);
        Set<String> packages = new TreeSet<>(allowedPackages);
        for (String name : refusedNames) {
            String p = packageOf(elementName(name));
            if (!p.isEmpty()) {
                packages.add(p);
            }
        }
        String suggestion = packages.stream().map(p -> '"' + p + '"').collect(Collectors.joining(", "));
        return new ClassNotAllowedException("The java-serialized model needs " + refusedNames.size()
                + (refusedNames.size() == 1 ? " class" : " classes") + " its loader does not allow: "
                + String.join(", ", refusedNames)
                + (needed.complete() ? "" : " (maybe more: the stream could not be followed past "
                        + needed.incompleteAfter() + ")")
                + ". Deserializing runs code chosen by whoever wrote the bytes, so only " + type.getName()
                + ", JDK value and collection types and "
                + (allowedPackages.isEmpty() ? "no other package" : "the allowed packages " + allowedPackages)
                + " are loaded. If you trust this model, allow the packages it needs: ModelFlavor.javaSerialized("
                + suggestion + ")", List.copyOf(refusedNames));
    }

    private ObjectInputFilter filter(Class<?> type, long size, AtomicReference<String> refused) {
        return info -> {
            if (info.depth() > 64 || info.references() > 10_000_000 || info.streamBytes() > size + 1024) {
                refused.compareAndSet(null, BEYOND_LIMITS);
                return ObjectInputFilter.Status.REJECTED;
            }
            Class<?> c = info.serialClass();
            if (c == null) {
                return ObjectInputFilter.Status.UNDECIDED;
            }
            Class<?> component = c;
            while (component.isArray()) {
                component = component.getComponentType();
            }
            Class<?> resolved = component;
            if (allows(c.getName(), type, () -> resolved)) {
                return ObjectInputFilter.Status.ALLOWED;
            }
            refused.compareAndSet(null, c.getName());
            return ObjectInputFilter.Status.REJECTED;
        };
    }

    /**
     * Whether the filter lets through the class with this binary name ({@code [Lfoo.Bar;} for an
     * array). {@code resolve} gives the class (the element class of an array) or null; it is asked
     * only when the decision depends on the class hierarchy, so that names alone decide the rest.
     */
    private boolean allows(String name, Class<?> type, Supplier<Class<?>> resolve) {
        String element = elementName(name);
        if (element.length() == 1 && name.startsWith("[")) {
            return true; // an array of a primitive type
        }
        // Collections rebuild themselves through Object[] and Map.Entry[]: arrays only, never instances.
        if (name.startsWith("[") && (element.equals("java.lang.Object") || element.equals("java.util.Map$Entry"))) {
            return true;
        }
        boolean typeIsJdk = type.getName().startsWith("java.") || type.getName().startsWith("javax.");
        if (!typeIsJdk) {
            // The model's own class, the classes nested in it, and its subclasses in its package.
            if (element.equals(type.getName()) || element.startsWith(type.getName() + "$")) {
                return true;
            }
            if (packageOf(element).equals(type.getPackageName())) {
                Class<?> c = resolve.get();
                if (c != null && type.isAssignableFrom(c)) {
                    return true;
                }
            }
        }
        if (JDK_VALUE_CLASSES.contains(element) || element.startsWith("java.util.ImmutableCollections$")) {
            return true;
        }
        String elementPackage = packageOf(element);
        for (String p : allowedPackages) {
            if (elementPackage.equals(p) || elementPackage.startsWith(p + ".")) {
                return true;
            }
        }
        return false;
    }

    /** The element class name of an array class name ({@code [[Lfoo.Bar;} gives foo.Bar, {@code [I} gives I); else the name. */
    private static String elementName(String name) {
        int dims = 0;
        while (dims < name.length() && name.charAt(dims) == '[') {
            dims++;
        }
        if (dims > 0 && name.length() > dims + 1 && name.charAt(dims) == 'L' && name.endsWith(";")) {
            return name.substring(dims + 1, name.length() - 1);
        }
        return name.substring(dims);
    }

    private static String packageOf(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? "" : className.substring(0, dot);
    }

    /**
     * The class named, loaded as the JDK's read would (never initialized, so no static
     * initializer runs), or null if it is not on the class path.
     */
    private static Class<?> loadWithoutInitializing(String name, Class<?> type) {
        try {
            return Class.forName(elementName(name), false, type.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }
}
