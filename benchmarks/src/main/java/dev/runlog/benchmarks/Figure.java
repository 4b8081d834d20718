package dev.runlog.benchmarks;

import java.util.Locale;

/**
 * One measured figure, printed as one JSON object per line. {@code higherIsBetter} says which way
 * the target points; {@code baseline}, when measured, is the naive MLflow-shaped store's figure
 * from the same process, and {@code ratio} how many times better Runlog did; {@code conditions}, when
 * given, says what was measured and how.
 */
record Figure(String name, double value, String unit, double target, boolean higherIsBetter, Double baseline,
              String conditions) {

    Figure(String name, double value, String unit, double target, boolean higherIsBetter, Double baseline) {
        this(name, value, unit, target, higherIsBetter, baseline, null);
    }

    boolean meetsTarget() {
        return higherIsBetter ? value >= target : value <= target;
    }

    String toJson() {
        StringBuilder json = new StringBuilder("{");
        json.append("\"name\": \"").append(name).append("\", ");
        json.append("\"value\": ").append(number(value)).append(", ");
        json.append("\"unit\": \"").append(unit).append("\", ");
        json.append("\"target\": \"").append(higherIsBetter ? ">= " : "<= ").append(number(target)).append("\", ");
        json.append("\"meets_target\": ").append(meetsTarget());
        if (baseline != null) {
            double ratio = higherIsBetter ? value / baseline : baseline / value;
            json.append(", \"naive_baseline\": ").append(number(baseline));
            json.append(", \"times_better_than_baseline\": ").append(number(ratio));
        }
        if (conditions != null) {
            // Written by the suite itself, without quotes or backslashes: nothing to escape.
            json.append(", \"conditions\": \"").append(conditions).append('"');
        }
        return json.append("}").toString();
    }

    private static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
