package dev.runlog.xgboost.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the line {@code Booster.evalSet} returns: {@code [3]\ttrain-logloss:0.21\tvalid-auc:0.97}. */
public final class EvalLine {
    private EvalLine() {
    }

    /**
     * The names XGBoost is given for the watches ({@code w0}, {@code w1}, ...): its evaluation line
     * carries only ASCII safely (XGBoost4J garbles other characters) and separates its fields with
     * tabs, so the watches' own names are put back by {@link #parse}.
     */
    public static String[] internalNames(int watches) {
        String[] names = new String[watches];
        for (int i = 0; i < watches; i++) {
            names[i] = "w" + i;
        }
        return names;
    }

    /**
     * The metrics of one evaluation line, whose watches are named by {@link #internalNames}, in
     * XGBoost's order, under Runlog-legal keys {@code <watch>-<metric>} with the watch's name from
     * {@code watchNames}: a character a metric key may not hold (XGBoost's {@code ndcg@5},
     * {@code error@0.7}) becomes {@code _}, and a key that becomes one already taken in the line
     * (watches {@code a@b} and {@code a#b}) gets {@code _2}, {@code _3}, ... in XGBoost's order, the
     * same each round: two watches' metrics are never merged into one series.
     */
    public static Map<String, Double> parse(String line, String[] watchNames) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        String[] fields = line.trim().split("\t");
        for (int i = 0; i < fields.length; i++) {
            String field = fields[i].trim();
            int colon = field.lastIndexOf(':');
            if (field.startsWith("[") || colon <= 0) {
                continue; // the round marker "[3]"
            }
            String base = key(watchName(field.substring(0, colon), watchNames));
            String key = base;
            for (int n = 2; metrics.containsKey(key); n++) {
                key = base + "_" + n;
            }
            metrics.put(key, value(field.substring(colon + 1)));
        }
        return metrics;
    }

    /** {@code w3-auc} as {@code <the fourth watch's name>-auc}; a name of another form as it is. */
    private static String watchName(String name, String[] watchNames) {
        int dash = name.indexOf('-');
        if (dash > 1 && name.charAt(0) == 'w' && name.substring(1, dash).chars().allMatch(Character::isDigit)) {
            int index = Integer.parseInt(name.substring(1, dash));
            if (index < watchNames.length) {
                return watchNames[index] + name.substring(dash);
            }
        }
        return name;
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

    /** Letters and digits of any script, {@code _ - .} and space are kept, as metric keys take them; the rest become {@code _}. */
    private static String key(String name) {
        StringBuilder key = new StringBuilder(name.length());
        name.codePoints().forEach(c -> {
            boolean legal = Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || c == ' ';
            key.appendCodePoint(legal ? c : '_');
        });
        return key.toString();
    }
}
