package dev.runlog.tribuo.internal;

import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import com.oracle.labs.mlrg.olcut.provenance.MapProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Tribuo's provenance tree as flat {@code a.b.c -> value} entries, split into params and tags. */
public final class Provenances {
    /** Trainer provenance entries that describe the machine, not the training: tags, not params. */
    private static final Set<String> NOT_HYPERPARAMETERS = Set.of("host-short-name", "tribuo-version",
            "java-version", "os-name", "os-arch");

    private Provenances() {
    }

    /** The trainer's settings (hyperparameters, seed, invocation count, class), keyed by their path under the trainer. */
    public static Map<String, String> trainerParams(ObjectProvenance trainer) {
        Map<String, String> params = new LinkedHashMap<>();
        flatten("", trainer, params);
        params.keySet().removeIf(key -> NOT_HYPERPARAMETERS.contains(key));
        return params;
    }

    /** Everything else, under {@code prefix}: the data source, the versions and machine, the training time. */
    public static Map<String, String> tags(ObjectProvenance model, String trainerKey, String prefix) {
        Map<String, String> all = new LinkedHashMap<>();
        flatten("", model, all);
        Map<String, String> tags = new LinkedHashMap<>();
        all.forEach((key, value) -> {
            boolean trainerSetting = key.startsWith(trainerKey + ".")
                    && !NOT_HYPERPARAMETERS.contains(key.substring(trainerKey.length() + 1));
            if (!trainerSetting) {
                tags.put(prefix + key, value);
            }
        });
        return tags;
    }

    private static void flatten(String path, Iterable<Pair<String, Provenance>> node, Map<String, String> out) {
        for (Pair<String, Provenance> child : node) {
            add(path.isEmpty() ? segment(child.getA()) : path + "." + segment(child.getA()), child.getB(), out);
        }
    }

    private static void add(String path, Provenance value, Map<String, String> out) {
        if (value instanceof ObjectProvenance object) {
            flatten(path, object, out);
        } else if (value instanceof MapProvenance<?> map) {
            for (Pair<String, ? extends Provenance> entry : map) {
                add(path + "." + segment(entry.getA()), entry.getB(), out);
            }
        } else if (value instanceof ListProvenance<?> list) {
            int i = 0;
            for (Provenance element : list) {
                add(path + "." + i++, element, out);
            }
        } else if (value instanceof PrimitiveProvenance<?> primitive) {
            out.put(path, String.valueOf(primitive.getValue()));
        } else if (value != null) {
            out.put(path, value.toString());
        }
    }

    /**
     * A Runlog key segment: characters other than letters and digits (of any script, as keys take
     * them), {@code _ - .} and space become {@code _}, and so do the path steps {@code .} and {@code ..}.
     */
    public static String segment(String name) {
        StringBuilder key = new StringBuilder(name.length());
        name.codePoints().forEach(c -> {
            boolean legal = Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || c == ' ';
            key.appendCodePoint(legal ? c : '_');
        });
        String segment = key.toString();
        return segment.isEmpty() ? "_" : segment.equals(".") || segment.equals("..") ? "_".repeat(segment.length()) : segment;
    }

    /**
     * A distinct key segment for each label: the label itself where it is a legal segment, else
     * {@link #segment}'s form, with {@code _2}, {@code _3}, ... added where that form is taken (by a
     * label spelled so, or by another label made the same, as {@code a:b} and {@code a/b} are).
     * Labels are taken in sorted order, so a run's keys do not depend on the order Tribuo keeps them in.
     */
    public static java.util.SortedMap<String, String> labelKeys(java.util.Collection<String> labels) {
        java.util.SortedMap<String, String> keys = new java.util.TreeMap<>();
        java.util.Set<String> taken = new java.util.HashSet<>();
        for (String label : new java.util.TreeSet<>(labels)) {
            if (segment(label).equals(label)) {
                keys.put(label, label);
                taken.add(label);
            }
        }
        for (String label : new java.util.TreeSet<>(labels)) {
            if (!keys.containsKey(label)) {
                String base = segment(label);
                String key = base;
                for (int n = 2; !taken.add(key); n++) {
                    key = base + "_" + n;
                }
                keys.put(label, key);
            }
        }
        return keys;
    }
}
