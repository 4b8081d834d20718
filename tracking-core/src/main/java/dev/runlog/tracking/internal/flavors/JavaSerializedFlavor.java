package dev.runlog.tracking.internal.flavors;

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
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
        java.util.concurrent.atomic.AtomicReference<String> refused = new java.util.concurrent.atomic.AtomicReference<>();
        try (InputStream raw = Files.newInputStream(file);
             ObjectInputStream in = new ObjectInputStream(new BufferedInputStream(raw))) {
            in.setObjectInputFilter(filter(type, size, refused));
            Object model = in.readObject();
            if (!type.isInstance(model)) {
                throw new InvalidInputException("The stored model is a " + model.getClass().getName() + ", not a " + type.getName());
            }
            return type.cast(model);
        } catch (InvalidClassException e) {
            String what = refused.get() != null ? "class " + refused.get() : "the stream (" + e.getMessage() + ")";
            throw new IntegrityException("Refused to deserialize " + what + " in the java-serialized model: only "
                    + type.getName() + ", JDK value types and the packages " + allowedPackages
                    + " are allowed; name more with ModelFlavor.javaSerialized(packages...) if you trust the model", e);
        } catch (ClassNotFoundException e) {
            throw new InvalidInputException("The java-serialized model needs class " + e.getMessage()
                    + ", which is not on the class path", e);
        }
    }

    private ObjectInputFilter filter(Class<?> type, long size, java.util.concurrent.atomic.AtomicReference<String> refused) {
        return info -> {
            if (info.depth() > 64 || info.references() > 10_000_000 || info.streamBytes() > size + 1024) {
                refused.compareAndSet(null, "(beyond the depth, reference or size limits)");
                return ObjectInputFilter.Status.REJECTED;
            }
            Class<?> c = info.serialClass();
            if (c == null) {
                return ObjectInputFilter.Status.UNDECIDED;
            }
            boolean array = c.isArray();
            while (c.isArray()) {
                c = c.getComponentType();
            }
            // Collections rebuild themselves through Object[] and Map.Entry[]: arrays only, never instances.
            boolean collectionStorage = array && (c == Object.class || c == java.util.Map.Entry.class);
            if (c.isPrimitive() || collectionStorage || isAllowed(c, type)) {
                return ObjectInputFilter.Status.ALLOWED;
            }
            refused.compareAndSet(null, info.serialClass().getName());
            return ObjectInputFilter.Status.REJECTED;
        };
    }

    private boolean isAllowed(Class<?> c, Class<?> type) {
        boolean typeIsJdk = type.getName().startsWith("java.") || type.getName().startsWith("javax.");
        if (!typeIsJdk) {
            // The model's own class, the classes nested in it, and its subclasses in its package.
            if (c == type || c.getName().startsWith(type.getName() + "$")) {
                return true;
            }
            if (type.isAssignableFrom(c) && c.getPackageName().equals(type.getPackageName())) {
                return true;
            }
        }
        if (JDK_VALUE_CLASSES.contains(c.getName()) || c.getName().startsWith("java.util.ImmutableCollections$")) {
            return true;
        }
        for (String p : allowedPackages) {
            if (c.getPackageName().equals(p) || c.getPackageName().startsWith(p + ".")) {
                return true;
            }
        }
        return false;
    }
}
