package dev.runlog.tracking.internal.search;

import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.spi.SearchField;
import dev.runlog.tracking.spi.SearchFilter;
import java.util.List;
import java.util.function.Function;

/** Evaluates a parsed filter against a run or an experiment: the reference semantics. */
public final class Matcher {
    private Matcher() {
    }

    public static boolean matches(SearchFilter filter, Run run) {
        return matches(filter, field -> field.kind() == SearchField.Kind.DATASET
                ? List.<Object>copyOf(SearchValues.datasetValues(run, field.key()))
                : single(SearchValues.of(run, field)));
    }

    public static boolean matches(SearchFilter filter, Experiment experiment) {
        return matches(filter, field -> single(SearchValues.of(experiment, field)));
    }

    /**
     * Evaluates a filter against any entity whose fields have at most one value each, such as a
     * registered model: {@code value} gives a field's value, a {@code String} or a {@code Double},
     * or null when the entity lacks it.
     */
    public static boolean matchesFields(SearchFilter filter, Function<SearchField, Object> value) {
        return matches(filter, field -> single(value.apply(field)));
    }

    private static List<Object> single(Object value) {
        return value == null ? List.of() : List.of(value);
    }

    /**
     * {@code values} gives a field's values: none when the entity lacks it, several for a dataset
     * field (a condition on it holds when it holds for one of the run's inputs).
     */
    private static boolean matches(SearchFilter filter, Function<SearchField, List<Object>> values) {
        if (filter instanceof SearchFilter.All) {
            return true;
        }
        if (filter instanceof SearchFilter.And and) {
            return and.operands().stream().allMatch(f -> matches(f, values));
        }
        if (filter instanceof SearchFilter.Or or) {
            return or.operands().stream().anyMatch(f -> matches(f, values));
        }
        if (filter instanceof SearchFilter.Not not) {
            return !matches(not.operand(), values);
        }
        if (filter instanceof SearchFilter.IsNull isNull) {
            return values.apply(isNull.field()).isEmpty() != isNull.negated();
        }
        if (filter instanceof SearchFilter.In in) {
            return values.apply(in.field()).stream().anyMatch(v -> in.values().contains(v) != in.negated());
        }
        SearchFilter.Compare compare = (SearchFilter.Compare) filter;
        return values.apply(compare.field()).stream().anyMatch(v -> compare(v, compare.op(), compare.value()));
    }

    private static boolean compare(Object actual, SearchFilter.Op op, Object expected) {
        if (actual instanceof Double a) {
            double b = (Double) expected;
            // IEEE comparisons, as SQL does them: NaN satisfies only !=.
            return switch (op) {
                case EQ -> a == b;
                case NE -> a != b;
                case LT -> a < b;
                case LE -> a <= b;
                case GT -> a > b;
                case GE -> a >= b;
                default -> throw new IllegalArgumentException(op + " on a number");
            };
        }
        String a = (String) actual;
        String b = (String) expected;
        return switch (op) {
            case EQ -> a.equals(b);
            case NE -> !a.equals(b);
            case LIKE -> SearchValues.like(a, b, false);
            case ILIKE -> SearchValues.like(a, b, true);
            default -> throw new IllegalArgumentException(op + " on a string");
        };
    }
}
