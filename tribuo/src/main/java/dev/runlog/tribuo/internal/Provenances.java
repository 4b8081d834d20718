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

    /** A Runlog key segment: characters other than letters, digits, {@code _ - .} and space become {@code _}. */
    public static String segment(String name) {
        StringBuilder key = new StringBuilder(name.length());
        for (char c : name.toCharArray()) {
            boolean legal = c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || c == ' ');
            key.append(legal ? c : '_');
        }
        return key.isEmpty() ? "_" : key.toString();
    }
}
