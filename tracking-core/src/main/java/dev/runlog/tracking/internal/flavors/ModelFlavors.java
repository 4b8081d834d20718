package dev.runlog.tracking.internal.flavors;

import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.ModelFlavor;
import dev.runlog.tracking.spi.Plugins;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.TreeSet;

/** Finds flavors by name: the built-in ones, then those {@link Plugins} finds. */
public final class ModelFlavors {
    private ModelFlavors() {
    }

    public static ModelFlavor named(String name) {
        switch (name) {
            case "json":
                return JsonFlavor.INSTANCE;
            case "files":
                return FilesFlavor.INSTANCE;
            case "java-serialized":
                return new JavaSerializedFlavor();
            default:
                break;
        }
        TreeSet<String> known = new TreeSet<>(java.util.List.of("json", "files", "java-serialized"));
        for (ModelFlavor flavor : plugins()) {
            if (flavor.name().equals(name)) {
                return flavor;
            }
            known.add(flavor.name());
        }
        throw new InvalidInputException("No model flavor named '" + name + "' on the class path; known flavors: "
                + String.join(", ", known) + ". Add the module that provides it.");
    }

    /**
     * The flavor for a model of this type when none is named: files for a path, else the first
     * plugin flavor that {@link ModelFlavor#stores stores} it, else json.
     */
    public static ModelFlavor forModel(Object model) {
        if (model instanceof Path) {
            return FilesFlavor.INSTANCE;
        }
        for (ModelFlavor flavor : plugins()) {
            if (flavor.stores(model)) {
                return flavor;
            }
        }
        return JsonFlavor.INSTANCE;
    }

    private static Iterable<ModelFlavor> plugins() {
        return Plugins.load(ModelFlavor.class, loader -> ServiceLoader.load(ModelFlavor.class, loader));
    }
}
