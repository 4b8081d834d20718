package dev.runlog.xgboost.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the line {@code Booster.evalSet} returns: {@code [3]\ttrain-logloss:0.21\tvalid-auc:0.97}. */
public final class EvalLine {
    private EvalLine() {
    }

    /**
     * The metrics of one evaluation line, in XGBoost's order, under Runlog-legal keys: a character a
     * metric key may not hold (XGBoost's {@code ndcg@5}, {@code error@0.7}) becomes {@code _}.
     */
    public static Map<String, Double> parse(String line) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        String[] fields = line.trim().split("\t");
        for (int i = 0; i < fields.length; i++) {
            String field = fields[i].trim();
            int colon = field.lastIndexOf(':');
            if (field.startsWith("[") || colon <= 0) {
                continue; // the round marker "[3]"
            }
            metrics.put(key(field.substring(0, colon)), value(field.substring(colon + 1)));
        }
        return metrics;
    }

    /**
     * A value as XGBoost's C++ prints it: besides decimals, {@code nan}, {@code -nan}, {@code inf} and
     * {@code -inf} (an auc on a watch of one class, a mape on zero labels), which Java does not parse.
     */
    static double value(String text) {
        String v = text.trim();
        String magnitude = v.startsWith("-") || v.startsWith("+") ? v.substring(1) : v;
        if (magnitude.equalsIgnoreCase("nan")) {
            return Double.NaN;
        }
        if (magnitude.equalsIgnoreCase("inf") || magnitude.equalsIgnoreCase("infinity")) {
            return v.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return Double.parseDouble(v);
    }

    /** The last metric's value: the one XGBoost's early stopping watches. */
    public static double last(Map<String, Double> metrics) {
        double last = Double.NaN;
        for (double value : metrics.values()) {
            last = value;
        }
        return last;
    }

    private static String key(String name) {
        StringBuilder key = new StringBuilder(name.length());
        for (char c : name.toCharArray()) {
            boolean legal = c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || c == ' ');
            key.append(legal ? c : '_');
        }
        return key.toString();
    }
}
