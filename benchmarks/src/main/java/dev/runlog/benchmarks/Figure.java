package dev.runlog.benchmarks;

import java.util.Locale;

/**
 * One measured figure, printed as one JSON object per line. {@code higherIsBetter} says which way
 * the target points; {@code baseline}, when measured, is the naive MLflow-shaped store's figure
 * from the same process, and {@code ratio} how many times better Runlog did.
 */
record Figure(String name, double value, String unit, double target, boolean higherIsBetter, Double baseline) {

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
        return json.append("}").toString();
    }

    private static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
