package dev.runlog.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.LifecycleStage;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunData;
import dev.runlog.tracking.RunInfo;
import dev.runlog.tracking.RunStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The gates judge a candidate by itself, with no store: bounds, NaN, missing metrics, ties, tags, and how numbers read. */
class GatesTest {
    private static final Instant T = Instant.parse("2022-03-14T09:26:53.589Z");

    private static Run run(Map<String, Double> metrics, Map<String, String> tags) {
        Map<String, Metric> latest = new java.util.HashMap<>();
        metrics.forEach((k, v) -> latest.put(k, new Metric(k, v, 0, T.toEpochMilli())));
        return new Run(new RunInfo("0123456789abcdef0123456789abcdef", "1", "r", RunStatus.FINISHED, T, Optional.of(T),
                LifecycleStage.ACTIVE, "file:/a"), new RunData(Map.of(), latest, tags), List.of());
    }

    private static ModelVersion version(int number, Map<String, String> tags) {
        return new ModelVersion("m", number, "runs:/r/model", "r", ModelVersion.Status.READY, Stage.NONE, "", "u", T, T,
                tags, List.of(), Optional.empty());
    }

    private static PromotionCandidate candidate(Map<String, Double> metrics, Map<String, Double> incumbentMetrics) {
        return new PromotionCandidate(version(2, Map.of()), run(metrics, Map.of()), Stage.PRODUCTION,
                incumbentMetrics == null ? Optional.empty() : Optional.of(version(1, Map.of())),
                incumbentMetrics == null ? Optional.empty() : Optional.of(run(incumbentMetrics, Map.of())));
    }

    @Test
    @DisplayName("a refused gate is quoted at most 100 characters long, and '=>' is named as written")
    void refusalsQuoteTheGateShortAndAsWritten() {
        InvalidInputException arrow = assertThrows(InvalidInputException.class, () -> Gates.parse("metrics.accuracy => 0.9"));
        assertTrue(arrow.getMessage().endsWith("not '=>' (write '>=')"), arrow.getMessage());
        InvalidInputException huge = assertThrows(InvalidInputException.class,
                () -> Gates.parse("metrics.accuracy >= " + "9".repeat(100_000)));
        assertTrue(huge.getMessage().length() < 400 && huge.getMessage().contains("..."), huge.getMessage().length() + " characters");
    }

    @Test
    @DisplayName("a gate's text that no store keeps (a lone surrogate, a NUL) is refused, not stored altered")
    void gateTextIsValidUnicodeWithoutNul() {
        InvalidInputException described = assertThrows(InvalidInputException.class,
                () -> Gates.check("x\uD800y", candidate -> true));
        assertTrue(described.getMessage().contains("gate description"), described.getMessage());
        assertThrows(InvalidInputException.class, () -> new GateResult("g\uDC00", true, "", ""));
        assertThrows(InvalidInputException.class, () -> GateResult.fail("g", "act\uD800", "req"));
        InvalidInputException nul = assertThrows(InvalidInputException.class, () -> GateResult.fail("g", "act", "req\u0000"));
        assertTrue(nul.getMessage().contains("NUL"), nul.getMessage());
        assertEquals("g: failed, actual 0.5, required >= 0.9", GateResult.fail("g", "0.5", ">= 0.9").toString());
    }

    @Test
    @DisplayName("metricAtLeast and metricAtMost pass on the bound, and fail on NaN and on a missing metric")
    void thresholds() {
        Gate atLeast = Gates.metricAtLeast("acc", 0.9);
        assertEquals(new GateResult("metrics.acc >= 0.9", true, "0.9", ">= 0.9"), atLeast.check(candidate(Map.of("acc", 0.9), null)));
        assertEquals(GateResult.fail("metrics.acc >= 0.9", "NaN", ">= 0.9"), atLeast.check(candidate(Map.of("acc", Double.NaN), null)));
        assertEquals(GateResult.fail("metrics.acc >= 0.9", "no such metric", ">= 0.9"), atLeast.check(candidate(Map.of(), null)));
        Gate atMost = Gates.metricAtMost("loss", 0.3);
        assertEquals(new GateResult("metrics.loss <= 0.3", true, "0.3", "<= 0.3"), atMost.check(candidate(Map.of("loss", 0.3), null)));
        assertEquals(GateResult.fail("metrics.loss <= 0.3", "NaN", "<= 0.3"), atMost.check(candidate(Map.of("loss", Double.NaN), null)));
        // A NaN bound could never pass: refused when the gate is made, not at the promotion it blocks.
        assertEquals("the bound of the gate on metrics.acc is NaN; give a number",
                assertThrows(InvalidInputException.class, () -> Gates.metricAtLeast("acc", Double.NaN)).getMessage());
        assertThrows(InvalidInputException.class, () -> Gates.metricAtMost("loss", Double.NaN));
    }

    @Test
    @DisplayName("beatsCurrent: an empty stage or an incumbent without the metric passes; a tie fails; MINIMIZE wants lower")
    void beatsCurrent() {
        Gate higher = Gates.beatsCurrent("acc");
        String name = "metrics.acc beats the current production version";
        assertEquals(new GateResult(name, true, "no version in Production", ""), higher.check(candidate(Map.of("acc", 0.5), null)));
        assertEquals(new GateResult(name, true, "0.5", "version 1 has no acc"), higher.check(candidate(Map.of("acc", 0.5), Map.of())));
        assertEquals(GateResult.fail(name, "0.9", "> 0.9 (version 1)"), higher.check(candidate(Map.of("acc", 0.9), Map.of("acc", 0.9))));
        assertEquals(GateResult.fail(name, "no such metric", "> ? (version 1)"), higher.check(candidate(Map.of(), Map.of())));
        // An incumbent whose figure is NaN has none to beat, as one without it: it blocked every challenger.
        assertEquals(new GateResult(name, true, "0.5", "version 1's acc is NaN"),
                higher.check(candidate(Map.of("acc", 0.5), Map.of("acc", Double.NaN))));
        assertEquals(GateResult.fail(name, "NaN", "> NaN (version 1)"),
                higher.check(candidate(Map.of("acc", Double.NaN), Map.of("acc", Double.NaN))));
        Gate lower = Gates.beatsCurrent("loss", Objective.MINIMIZE);
        String lowerName = "metrics.loss beats the current production version";
        assertEquals(new GateResult(lowerName, true, "0.1", "< 0.2 (version 1)"),
                lower.check(candidate(Map.of("loss", 0.1), Map.of("loss", 0.2))));
        assertEquals(GateResult.fail(lowerName, "0.3", "< 0.2 (version 1)"), lower.check(candidate(Map.of("loss", 0.3), Map.of("loss", 0.2))));
    }

    @Test
    @DisplayName("requireTag reads the version's tag, else the run's; check names its predicate")
    void tagsAndPredicates() {
        Gate gate = Gates.requireTag("ok", "true");
        String name = "tags.ok = 'true'";
        PromotionCandidate onVersion = new PromotionCandidate(version(1, Map.of("ok", "true")), run(Map.of(), Map.of("ok", "no")),
                Stage.STAGING, Optional.empty(), Optional.empty());
        PromotionCandidate onRun = new PromotionCandidate(version(1, Map.of("ok", "no")), run(Map.of(), Map.of("ok", "true")),
                Stage.STAGING, Optional.empty(), Optional.empty());
        assertEquals(new GateResult(name, true, "'true'", "'true'"), gate.check(onVersion));
        assertEquals(new GateResult(name, true, "'true'", "'true'"), gate.check(onRun));
        assertEquals(GateResult.fail(name, "no such tag", "'true'"), gate.check(candidate(Map.of(), null)));
        assertEquals(GateResult.pass("has acc"), Gates.check("has acc", c -> c.metric("acc").isPresent())
                .check(candidate(Map.of("acc", 1.0), null)));
        assertEquals(GateResult.fail("has acc", "false", "true"), Gates.check("has acc", c -> c.metric("acc").isPresent())
                .check(candidate(Map.of(), null)));
    }

    @ParameterizedTest(name = "{0} reads {1}")
    @CsvSource({"3.0, 3", "-0.0, 0", "0.1, 0.1", "0.3333333333, 0.333333", "1.5e20, 1.5e+20", "NaN, NaN", "Infinity, Infinity"})
    @DisplayName("numbers in results read as short as they can: whole numbers without a point, six significant digits")
    void format(double value, String expected) {
        assertEquals(expected, Gates.format(value));
    }

    @Test
    @DisplayName("parse reads metric comparisons and tag equality, and names what is wrong with anything else")
    void parse() {
        assertEquals(new GateResult("metrics.acc >= 0.9", true, "0.9", ">= 0.9"),
                Gates.parse(" metrics.acc>=0.9 ").check(candidate(Map.of("acc", 0.9), null)));
        assertEquals(GateResult.fail("metrics.acc > 0.9", "0.9", "> 0.9"),
                Gates.parse("metrics.acc > 0.9").check(candidate(Map.of("acc", 0.9), null)));
        assertEquals(new GateResult("metrics.val loss < 0.5", true, "0.4", "< 0.5"),
                Gates.parse("metrics.`val loss` < 0.5").check(candidate(Map.of("val loss", 0.4), null)));
        assertEquals(GateResult.fail("metrics.loss <= 0.3", "NaN", "<= 0.3"),
                Gates.parse("metrics.loss <= 3e-1").check(candidate(Map.of("loss", Double.NaN), null)));
        PromotionCandidate tagged = new PromotionCandidate(version(2, Map.of("validated", "yes")), run(Map.of(), Map.of()),
                Stage.PRODUCTION, Optional.empty(), Optional.empty());
        assertTrue(Gates.parse("tags.validated = \"yes\"").check(tagged).passed());
        assertFalse(Gates.parse("tags.validated = 'no'").check(tagged).passed());
        // As the search grammar reads them: other prefixes' spellings, quotes inside a value, decimal numbers only.
        assertTrue(Gates.parse("METRIC.acc >= .5").check(candidate(Map.of("acc", 0.9), null)).passed());
        InvalidInputException huge = assertThrows(InvalidInputException.class, () -> Gates.parse("metrics.acc >= 1e400"));
        assertTrue(huge.getMessage().contains("'1e400' is beyond the range of a double"), huge.getMessage());
        PromotionCandidate quoted = new PromotionCandidate(version(2, Map.of("note", "it's")), run(Map.of(), Map.of()),
                Stage.PRODUCTION, Optional.empty(), Optional.empty());
        assertTrue(Gates.parse("tag.note = 'it''s'").check(quoted).passed());
        assertTrue(Gates.parse("tags.note = 'it\\'s'").check(quoted).passed());
        assertTrue(Gates.parse("Tags.note = \"it's\"").check(quoted).passed());
        for (String bad : List.of("", "accuracy >= 0.9", "metrics.acc = 0.9", "metrics.acc >= high", "metrics.acc >= NaN",
                "tags.v >= 'x'", "tags.v = yes", "params.lr >= 1", "metrics.acc >= 0.9 and metrics.loss < 1",
                "metrics.acc >= 0x1p-3", "metrics.acc >= 0.5f", "metrics.acc >= Infinity", "tags.v = 'a'b'")) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> Gates.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("gate '" + bad + "'"), e.getMessage());
        }
    }
}
