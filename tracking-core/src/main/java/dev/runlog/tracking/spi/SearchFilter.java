package dev.runlog.tracking.spi;

import dev.runlog.tracking.spi.InputRules;
import java.util.List;

/**
 * A parsed search filter, as a store receives it: the tracker parses and checks the text, so a
 * store only translates this tree (to SQL, say) or evaluates it. Values are never text to splice
 * into a query: bind them.
 *
 * <p>Semantics every store keeps: a condition on a metric compares its latest value (see
 * {@link TrackingStore#latestMetrics}); a condition on a key a run lacks is false, {@code !=} and
 * {@code NOT IN} too (only {@link IsNull} is true then); NaN satisfies only {@code !=}; -0.0 equals
 * 0.0; {@link Not} is the plain complement of its operand. A condition on a dataset field
 * ({@code name}, {@code digest}, {@code context}) holds when it holds for any one of the run's
 * inputs, so it is false for a run with none. Times ({@code start_time}, {@code end_time},
 * {@code creation_time}, {@code last_update_time}) are compared as epoch milliseconds; an active
 * run has no {@code end_time}, so no comparison of it holds. {@code LIKE} patterns take {@code %}
 * (any text) and {@code _} (one character) with no escape character: a {@code %} or {@code _}
 * always matches as such.
 */
public sealed interface SearchFilter {

    /** Matches every run: the empty filter. */
    record All() implements SearchFilter {
    }

    record And(List<SearchFilter> operands) implements SearchFilter {
        public And {
            operands = List.copyOf(InputRules.notNull("operands", operands));
        }
    }

    record Or(List<SearchFilter> operands) implements SearchFilter {
        public Or {
            operands = List.copyOf(InputRules.notNull("operands", operands));
        }
    }

    record Not(SearchFilter operand) implements SearchFilter {
        public Not {
            InputRules.notNull("operand", operand);
        }
    }

    /**
     * {@code field op value}. The value is a {@code Double} for metrics and numeric attributes, a
     * {@code String} otherwise.
     */
    record Compare(SearchField field, Op op, Object value) implements SearchFilter {
        public Compare {
            InputRules.notNull("field", field);
            InputRules.notNull("op", op);
            InputRules.notNull("value", value);
        }
    }

    /** {@code field IS NULL} (the run lacks the key), or {@code IS NOT NULL} when negated. */
    record IsNull(SearchField field, boolean negated) implements SearchFilter {
        public IsNull {
            InputRules.notNull("field", field);
        }
    }

    /** {@code field IN (values)}, or {@code NOT IN} when negated. */
    record In(SearchField field, List<String> values, boolean negated) implements SearchFilter {
        public In {
            InputRules.notNull("field", field);
            values = List.copyOf(InputRules.notNull("values", values));
        }
    }

    /** Comparison operators. LIKE is case-sensitive; ILIKE folds ASCII letters only, in every store. */
    enum Op {
        EQ("="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">="), LIKE("LIKE"), ILIKE("ILIKE");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }
}
