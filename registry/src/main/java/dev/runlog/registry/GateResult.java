package dev.runlog.registry;

import dev.runlog.tracking.spi.InputRules;

/**
 * The verdict of one {@link Gate}: what it required, what the candidate had, and whether that was
 * enough. A {@link PromotionRejectedException} lists the failed ones.
 *
 * @param gate     what the gate checks, such as {@code "metrics.accuracy >= 0.95"}
 * @param passed   whether the candidate passed
 * @param actual   what the candidate had, such as {@code "0.9133"} or {@code "no such metric"}
 * @param required what the gate required, such as {@code ">= 0.95"}
 */
public record GateResult(String gate, boolean passed, String actual, String required) {
    public GateResult {
        // Stored in the audit trail: text no store can keep (a lone surrogate, a NUL) is refused here, not altered there.
        InputRules.text("gate", InputRules.notNull("gate", gate));
        actual = actual == null ? "" : InputRules.text("gate " + gate + "'s actual value", actual);
        required = required == null ? "" : InputRules.text("gate " + gate + "'s required value", required);
    }

    /** A passed gate with nothing more to say. */
    public static GateResult pass(String gate) {
        return new GateResult(gate, true, "", "");
    }

    /** A failed gate, with what the candidate had and what was required. */
    public static GateResult fail(String gate, String actual, String required) {
        return new GateResult(gate, false, actual, required);
    }

    @Override
    public String toString() {
        if (passed) {
            return gate + ": passed" + (actual.isEmpty() ? "" : " (" + actual + ")");
        }
        return gate + ": failed, actual " + actual + ", required " + required;
    }
}
