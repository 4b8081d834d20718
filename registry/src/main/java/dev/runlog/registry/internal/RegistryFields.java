package dev.runlog.registry.internal;

import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.RegisteredModel;
import dev.runlog.registry.Stage;
import dev.runlog.tracking.InvalidFilterException;
import dev.runlog.tracking.spi.SearchField;
import dev.runlog.tracking.spi.SearchFilter;

/** The values registry filters compare: what {@code name}, {@code stage} or {@code tags.x} mean for each entity. */
final class RegistryFields {
    private RegistryFields() {
    }

    static Object of(RegisteredModel model, SearchField field) {
        if (field.kind() == SearchField.Kind.TAG) {
            return model.tags().get(field.key());
        }
        return switch (field.key()) {
            case "name" -> model.name();
            case "creation_time" -> (double) model.creationTime().toEpochMilli();
            case "last_update_time" -> (double) model.lastUpdateTime().toEpochMilli();
            default -> throw new IllegalArgumentException("not a registered model field: " + field);
        };
    }

    static Object of(ModelVersion version, SearchField field) {
        if (field.kind() == SearchField.Kind.TAG) {
            return version.tags().get(field.key());
        }
        return switch (field.key()) {
            case "name" -> version.name();
            case "version" -> (double) version.version();
            case "run_id" -> version.runId();
            case "source" -> version.source();
            case "stage" -> version.stage().toString();
            case "user_id" -> version.userId();
            case "creation_time" -> (double) version.creationTime().toEpochMilli();
            case "last_update_time" -> (double) version.lastUpdateTime().toEpochMilli();
            default -> throw new IllegalArgumentException("not a model version field: " + field);
        };
    }

    /**
     * Rewrites {@code stage = 'production'} and {@code stage IN ('staging')} to the stages' display
     * names, so a stage matches in any letter case as it does in {@code models:/} URIs; a value that
     * is no stage is refused, since it would match nothing (or everything) without a word. LIKE
     * patterns are left alone: ILIKE already ignores case.
     *
     * @throws InvalidFilterException naming the value, if it is no stage
     */
    static SearchFilter stageNamesIgnoringCase(String text, SearchFilter filter) {
        if (filter instanceof SearchFilter.And and) {
            return new SearchFilter.And(and.operands().stream().map(f -> stageNamesIgnoringCase(text, f)).toList());
        }
        if (filter instanceof SearchFilter.Or or) {
            return new SearchFilter.Or(or.operands().stream().map(f -> stageNamesIgnoringCase(text, f)).toList());
        }
        if (filter instanceof SearchFilter.Not not) {
            return new SearchFilter.Not(stageNamesIgnoringCase(text, not.operand()));
        }
        if (filter instanceof SearchFilter.Compare c && isStage(c.field())
                && (c.op() == SearchFilter.Op.EQ || c.op() == SearchFilter.Op.NE)) {
            return new SearchFilter.Compare(c.field(), c.op(), displayName(text, (String) c.value()));
        }
        if (filter instanceof SearchFilter.In in && isStage(in.field())) {
            return new SearchFilter.In(in.field(), in.values().stream().map(v -> displayName(text, v)).toList(),
                    in.negated());
        }
        return filter;
    }

    private static boolean isStage(SearchField field) {
        return field.kind() == SearchField.Kind.ATTRIBUTE && field.key().equals("stage");
    }

    private static String displayName(String text, String value) {
        for (Stage stage : Stage.values()) {
            if (stage.toString().equalsIgnoreCase(value)) {
                return stage.toString();
            }
        }
        int single = text.indexOf("'" + value + "'");
        int at = single >= 0 ? single : text.indexOf("\"" + value + "\""); // the literal's opening quote
        throw new InvalidFilterException(text, at + 1, "unknown stage '" + value + "'; the stages are "
                + java.util.Arrays.stream(Stage.values()).map(Stage::toString).collect(java.util.stream.Collectors.joining(", ")));
    }

    /**
     * The model name a filter requires, {@code name = 'x'} alone or as one operand of a top-level
     * AND, so that the store reads only that model's versions; null when it requires none.
     */
    static String onlyName(SearchFilter filter) {
        if (filter instanceof SearchFilter.Compare c && isNameEquals(c)) {
            return (String) c.value();
        }
        if (filter instanceof SearchFilter.And and) {
            for (SearchFilter operand : and.operands()) {
                if (operand instanceof SearchFilter.Compare c && isNameEquals(c)) {
                    return (String) c.value();
                }
            }
        }
        return null;
    }

    private static boolean isNameEquals(SearchFilter.Compare c) {
        return c.field().kind() == SearchField.Kind.ATTRIBUTE && c.field().key().equals("name")
                && c.op() == SearchFilter.Op.EQ;
    }
}
