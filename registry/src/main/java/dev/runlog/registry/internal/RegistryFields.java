package dev.runlog.registry.internal;

import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.RegisteredModel;
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
