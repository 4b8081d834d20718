package dev.runlog.monitoring.internal;

import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.spi.InputRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The monitored features in record order, each numeric or categorical, and the checks a recorded row
 * passes on the caller's thread: one value per feature, a number (or null/NaN for missing) where the
 * feature is numeric, anything but a number (or null) where it is categorical. Immutable.
 *
 * <p>A numeric value that is infinite (or a {@link Number} too large for a double, which becomes
 * one) is refused like a value of the wrong kind, naming the feature: NaN already means missing,
 * and an infinity compared with a reference would make a distance infinite or NaN, which no
 * threshold judges and no chart shows. Refusing it on the caller's thread says which prediction
 * was wrong, where a window judged later could only hide it.
 */
public final class FeatureLayout {
    private final List<String> names;
    private final boolean[] categorical;
    private final Map<String, Integer> index = new HashMap<>();
    private final List<String> categoricalNames = new ArrayList<>();

    public FeatureLayout(List<String> names, List<Boolean> categorical) {
        this.names = List.copyOf(names);
        this.categorical = new boolean[names.size()];
        for (int i = 0; i < names.size(); i++) {
            this.categorical[i] = categorical.get(i);
            index.put(names.get(i), i);
            if (this.categorical[i]) {
                categoricalNames.add(names.get(i));
            }
        }
    }

    public List<String> names() {
        return names;
    }

    public int size() {
        return names.size();
    }

    public boolean isCategorical(int i) {
        return categorical[i];
    }

    /**
     * Checks a numeric row: one number per feature, and no categorical feature (a monitor without
     * features takes any row: it has nothing to compare them with).
     */
    public void checkNumeric(double[] values) {
        if (names.isEmpty()) {
            return;
        }
        if (!categoricalNames.isEmpty()) {
            throw new InvalidInputException("the monitor has categorical features " + categoricalNames
                    + ": record the row with record(Object[], ...) or record(Map, ...), or leave them out of the"
                    + " monitor with MonitorOptions.target(...) (a label column) or .features(...)");
        }
        arity(values.length);
        for (int i = 0; i < values.length; i++) {
            finite(i, values[i]);
        }
    }

    /** A checked copy of a row of mixed values, in feature order. */
    public Object[] row(Object[] values) {
        if (!names.isEmpty()) {
            arity(values.length);
            for (int i = 0; i < values.length; i++) {
                check(i, values[i]);
            }
        }
        return values.clone();
    }

    /** A checked row of the values of named features, in feature order; a feature not named is missing. */
    public Object[] row(Map<String, ?> values) {
        if (names.isEmpty()) {
            return new Object[0];   // nothing to compare with: any features are taken, as in the other forms
        }
        Object[] row = new Object[names.size()];
        for (Map.Entry<String, ?> e : values.entrySet()) {
            Integer i = e.getKey() == null ? null : index.get(e.getKey());
            if (i == null) {
                throw new InvalidInputException("'" + e.getKey() + "' is not a monitored feature; the monitor has " + names);
            }
            check(i, e.getValue());
            row[i] = e.getValue();
        }
        return row;
    }

    private void arity(int length) {
        if (length != names.size()) {
            throw new InvalidInputException("a prediction of " + length + " features where the monitor has "
                    + names.size() + ": " + names);
        }
    }

    private void check(int i, Object value) {
        if (value == null) {
            return;
        }
        boolean number = value instanceof Number;
        if (categorical[i] && number) {
            throw new InvalidInputException("feature '" + names.get(i) + "' is categorical: give its category as a"
                    + " String (or any other non-number, taken by its text) or null for missing, not the number " + value);
        }
        if (!categorical[i] && !number) {
            throw new InvalidInputException("feature '" + names.get(i) + "' is numeric: give a Number (null or NaN"
                    + " for missing), not the " + value.getClass().getSimpleName() + " '" + value + "'");
        }
        if (number) {
            finite(i, ((Number) value).doubleValue());
        } else if (value instanceof String text) {
            // Checked here, on the caller's thread: a category no store can keep would cost the whole window's report.
            InputRules.unicode("feature '" + names.get(i) + "': category", text);
        }
    }

    private void finite(int i, double value) {
        if (Double.isInfinite(value)) {
            throw new InvalidInputException("feature '" + names.get(i) + "' is " + value + " (as a double); give"
                    + " a finite number, or NaN or null for missing");
        }
    }
}
