package dev.runlog.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a {@link Dataset} built by hand may hold: no negative counts, and a digest that is one token of text. */
class DatasetValuesTest {
    private static final Dataset.Histogram NONE = new Dataset.Histogram(List.of(), List.of());

    private static Dataset dataset(String digest, long rows) {
        return new Dataset("d", digest, "file:/d.csv", List.of(), new Dataset.Profile(rows, Map.of()));
    }

    @Test
    void negativeCountsAreRefusedNamingThem() {
        InvalidInputException rows = assertThrows(InvalidInputException.class, () -> dataset("0".repeat(64), -5));
        assertTrue(rows.getMessage().contains("row count is 0 or more, or -1 when unknown; got -5"), rows.getMessage());
        InvalidInputException column = assertThrows(InvalidInputException.class,
                () -> new Dataset.ColumnProfile(-1, 0, 0, 0, 0, 0, NONE));
        assertTrue(column.getMessage().contains("count -1"), column.getMessage());
        assertThrows(InvalidInputException.class, () -> new Dataset.ColumnProfile(1, -1, 0, 0, 0, 0, NONE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a\u0000b", "line\nbreak"})
    void anEmptyDigestOrOneWithAControlCharacterIsRefused(String digest) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> dataset(digest, 1));
        assertTrue(e.getMessage().contains("is not a content hash"), e.getMessage());
    }

    @Test
    void digestsOfEveryCommonSpellingAreKept() {
        for (String digest : List.of("8e1f58ae", "0".repeat(64), "sha256:ab12", "d".repeat(256))) {
            assertEquals(digest, dataset(digest, 0).digest());
        }
        assertThrows(InvalidInputException.class, () -> dataset("d".repeat(257), 0));
    }
}
