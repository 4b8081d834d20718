package dev.runlog.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Strings that reach a store by ways other than the key and value rules: an exception's message,
 * a model's metadata and signature, text and JSON artifacts, a search's order. Each is valid Unicode or refused, and a
 * search orders by no more clauses than every store can answer.
 */
class StoredTextTest {
    @Test
    void aFailureMessageWithALoneSurrogateIsStoredWithAReplacementCharacter() {
        try (Tracker tracker = Tracker.inMemory()) {
            String[] id = new String[1];
            assertThrows(IllegalStateException.class, () -> tracker.run("e", run -> {
                id[0] = run.id();
                throw new IllegalStateException("x\uD800y");
            }));
            assertEquals("x\uFFFDy", tracker.getRun(id[0]).data().tags().get(ActiveRun.FAILURE_MESSAGE_TAG));
        }
    }

    @Test
    void modelMetadataAndSignatureNamesMustBeValidUnicode() {
        assertTrue(assertThrows(InvalidInputException.class, () -> ModelOptions.defaults().metadata("k", "v\uD800"))
                .getMessage().contains("metadata value of 'k'"));
        assertThrows(InvalidInputException.class, () -> ModelOptions.defaults().metadata("k\uDC00", "v"));
        assertTrue(assertThrows(InvalidInputException.class, () -> ModelSignature.Field.column("c\uD800", "double"))
                .getMessage().contains("signature field name"));
    }

    @Test
    void textAndJsonArtifactsMustBeValidUnicodeNotStoredWithAQuestionMark() {
        try (Tracker tracker = Tracker.inMemory(); ActiveRun run = tracker.startRun("e")) {
            assertTrue(assertThrows(InvalidInputException.class, () -> run.logText("x\uD800y", "notes.txt"))
                    .getMessage().contains("text of artifact 'notes.txt'"));
            assertTrue(assertThrows(InvalidInputException.class, () -> run.logJson(Map.of("k", "x\uDC00"), "a.json"))
                    .getMessage().contains("JSON of artifact 'a.json'"));
            assertEquals(List.of(), tracker.listArtifacts(run.id(), ""));
            run.logText("x\uD83D\uDE00y", "pair.txt"); // a surrogate pair is one character
            assertEquals(1, tracker.listArtifacts(run.id(), "").size());
            assertTrue(assertThrows(InvalidInputException.class, () -> run.logText("x", "dir/"))
                    .getMessage().contains("ends with '/'"));
            Map<String, Object> cyclic = new java.util.HashMap<>();
            cyclic.put("self", cyclic);
            assertTrue(assertThrows(InvalidInputException.class, () -> run.logModel("m", Map.of("w", 1),
                    ModelOptions.defaults().inputExample(cyclic))).getMessage().contains("input example"));
        }
    }

    @Test
    void noStoredFieldHoldsANulWhichStoresWouldKeepAndMatchDifferently() {
        try (Tracker tracker = Tracker.inMemory()) {
            assertTrue(assertThrows(InvalidInputException.class, () -> tracker.run("e", r -> r.logParam("p", "a\u0000b")))
                    .getMessage().contains("value of param 'p' 'a?b' holds a NUL character (U+0000) at position 1"));
            assertThrows(InvalidInputException.class, () -> tracker.createExperiment("e\u0000"));
            assertThrows(InvalidInputException.class, () -> tracker.run("e", r -> r.setTag("t", "\u0000")));
            InvalidFilterException filter = assertThrows(InvalidFilterException.class,
                    () -> tracker.searchRuns().filter("params.p LIKE 'a\u0000zz'").list());
            assertTrue(filter.getMessage().contains("NUL"), filter.getMessage());
            String[] id = new String[1];
            assertThrows(IllegalStateException.class, () -> tracker.run("e", run -> {
                id[0] = run.id();
                throw new IllegalStateException("x\u0000y");
            }));
            assertEquals("x\uFFFDy", tracker.getRun(id[0]).data().tags().get(ActiveRun.FAILURE_MESSAGE_TAG));
            try (ActiveRun run = tracker.startRun("e")) {
                run.logText("a\u0000b", "bytes.txt"); // an artifact's text is bytes: NUL is data there
            }
        }
    }

    @Test
    void aSearchOrdersByAtMostTwentyClauses() {
        try (Tracker tracker = Tracker.inMemory()) {
            tracker.run("e", run -> run.logParam("k0", "a"));
            List<String> twenty = Collections.nCopies(20, "params.k0");
            assertEquals(1, tracker.searchRuns().orderBy(twenty.toArray(String[]::new)).list().size());
            String[] more = Collections.nCopies(21, "params.k0").toArray(String[]::new);
            InvalidFilterException e = assertThrows(InvalidFilterException.class, () -> tracker.searchRuns().orderBy(more));
            assertTrue(e.getMessage().contains("21 order-by clauses; a search orders by at most 20"), e.getMessage());
            assertThrows(InvalidFilterException.class, () -> tracker.searchExperiments().orderBy(
                    Collections.nCopies(21, "name").toArray(String[]::new)));
        }
    }

    @Test
    void metadataThatIsValidIsKept() {
        assertEquals(Map.of("k", "v \uD83D\uDE00"), ModelOptions.defaults().metadata("k", "v \uD83D\uDE00").metadata());
    }
}
