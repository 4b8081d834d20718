package dev.runlog.tracking.internal.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Tracker;
import java.time.Duration;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** SQL LIKE as the in-memory stores and the registry match it: the same answers as a regular expression, in bounded time. */
class LikeTest {
    @Test
    void wildcardsLiteralsAndCase() {
        assertTrue(SearchValues.like("fraud-detector", "fraud%", false));
        assertTrue(SearchValues.like("fraud-detector", "%detector", false));
        assertTrue(SearchValues.like("fraud-detector", "f_aud-%t_r", false));
        assertTrue(SearchValues.like("", "%", false));
        assertFalse(SearchValues.like("", "_", false));
        assertFalse(SearchValues.like("abc", "ab", false));
        assertFalse(SearchValues.like("Fraud", "fraud", false));
        assertTrue(SearchValues.like("Fraud", "fraud", true));
        assertFalse(SearchValues.like("É", "é", true), "only ASCII letters fold, as in SQLite");
        assertTrue(SearchValues.like("a.b*c", "a.b*c", false), "regex characters are literal");
        assertTrue(SearchValues.like("x\uD83D\uDE00y", "x_y", false), "_ is one code point, a surrogate pair included");
        assertTrue(SearchValues.like("line\nbreak", "line%break", false));
    }

    /** Short random values and patterns over a small alphabet, against the regular expression LIKE means. */
    @Test
    void agreesWithARegularExpressionOnRandomCases() {
        Random random = new Random(42);
        String alphabet = "ab%_";
        for (int n = 0; n < 20_000; n++) {
            String value = random(random, "abc", random.nextInt(8));
            String pattern = random(random, alphabet, random.nextInt(7));
            String regex = pattern.chars().mapToObj(c -> c == '%' ? ".*" : c == '_' ? "." : Pattern.quote(String.valueOf((char) c)))
                    .reduce("", String::concat);
            assertEquals(Pattern.compile(regex, Pattern.DOTALL).matcher(value).matches(), SearchValues.like(value, pattern, false),
                    value + " LIKE " + pattern);
        }
    }

    /** A pattern of many % against a long name took hours as a regular expression; a registry search with it returns at once. */
    @Test
    void manyPercentSignsAgainstALongNameFinishAtOnce() {
        String name = "fraud-detector-production-xgb-" + "a".repeat(170);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (Tracker tracker = Tracker.inMemory()) {
                try (ActiveRun run = tracker.startRun("like").setTag("name", name)) {
                    run.logParam("p", name);
                }
                String many = "%".repeat(40) + "!";
                assertTrue(tracker.searchRuns().filter("params.p LIKE '" + many + "'").list().isEmpty());
                assertTrue(tracker.searchRuns().filter("tags.name LIKE '%a%a%a%a%a%a%a%a%b'").list().isEmpty());
                assertEquals(1, tracker.searchRuns().filter("params.p LIKE '" + "%a".repeat(30) + "%'").list().size());
            }
        });
    }

    private static String random(Random random, String alphabet, int length) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }
}
