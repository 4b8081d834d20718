package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.KitAssertions.assertMessageContains;
import static dev.runlog.tracking.tck.KitData.text;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.ParamConflictException;
import dev.runlog.tracking.Tracker;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Rule 4: params are immutable settings, stored as text. */
public interface ParamsContract {

    @Test
    @DisplayName("logParam stores String.valueOf(value)")
    default void storesStringValue(Tracker tracker) {
        ActiveRun run = tracker.startRun("iris");
        run.logParam("lr", 0.1).logParam("epochs", 200).logParam("l2", 1e-4)
                .logParam("optimizer", "adam").logParam("nesterov", true).logParam("batch", 64L);
        assertEquals(Map.of("lr", "0.1", "epochs", "200", "l2", "1.0E-4", "optimizer", "adam",
                "nesterov", "true", "batch", "64"), tracker.getRun(run.id()).data().params());
    }

    @Test
    @DisplayName("logging the same key with the same value again is allowed")
    default void sameValueAgain(Tracker tracker) {
        ActiveRun run = tracker.startRun("iris");
        run.logParam("lr", 0.1);
        assertDoesNotThrow(() -> run.logParam("lr", 0.1));
        assertDoesNotThrow(() -> run.logParam("lr", "0.1"));
        assertDoesNotThrow(() -> run.logParams(Map.of("lr", 0.1)));
        assertEquals(Map.of("lr", "0.1"), tracker.getRun(run.id()).data().params());
    }

    @Test
    @DisplayName("logging a key with a different value fails with ParamConflictException naming key, old and new value")
    default void differentValueConflicts(Tracker tracker) {
        ActiveRun run = tracker.startRun("iris");
        run.logParam("lr", 0.1);
        ParamConflictException e = assertThrows(ParamConflictException.class, () -> run.logParam("lr", 0.2));
        assertAll(
                () -> assertEquals("lr", e.key()),
                () -> assertEquals("0.1", e.storedValue()),
                () -> assertEquals("0.2", e.newValue()),
                () -> assertEquals(run.id(), e.runId()),
                () -> assertMessageContains(e, "lr", "0.1", "0.2"));
        assertEquals(Map.of("lr", "0.1"), tracker.getRun(run.id()).data().params());
    }

    @Test
    @DisplayName("logParams is all or nothing: one conflicting key stores none of the others")
    default void logParamsAllOrNothingOnConflict(Tracker tracker) {
        ActiveRun run = tracker.startRun("iris").logParam("a", 1);
        Map<String, Object> batch = new LinkedHashMap<>();
        batch.put("b", 2);
        batch.put("a", 9);
        batch.put("c", 3);
        ParamConflictException e = assertThrows(ParamConflictException.class, () -> run.logParams(batch));
        assertEquals("a", e.key());
        assertEquals("1", e.storedValue());
        assertEquals("9", e.newValue());
        assertEquals(Map.of("a", "1"), tracker.getRun(run.id()).data().params());
    }

    @Test
    @DisplayName("logParams is all or nothing: one invalid key stores none of the others")
    default void logParamsAllOrNothingOnInvalidKey(Tracker tracker) {
        ActiveRun run = tracker.startRun("iris");
        Map<String, Object> batch = new LinkedHashMap<>();
        batch.put("b", 2);
        batch.put("bad:key", 9);
        batch.put("c", 3);
        assertThrows(InvalidInputException.class, () -> run.logParams(batch));
        assertEquals(Map.of(), tracker.getRun(run.id()).data().params());
    }

    @Test
    @DisplayName("logParams stores every entry as String.valueOf(value)")
    default void logParamsStoresAll(Tracker tracker) {
        ActiveRun run = tracker.startRun("iris");
        run.logParams(Map.of("lr", 0.01, "epochs", 200, "optimizer", "sgd"));
        assertEquals(Map.of("lr", "0.01", "epochs", "200", "optimizer", "sgd"), tracker.getRun(run.id()).data().params());
    }

    @Test
    @DisplayName("a 250-character key is stored; 251 characters fail with InvalidInputException naming the limit")
    default void keyLength(Tracker tracker) {
        ActiveRun run = tracker.startRun("iris");
        String longest = text(250, "k");
        run.logParam(longest, 1);
        assertEquals("1", tracker.getRun(run.id()).data().params().get(longest));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> run.logParam(text(251, "k"), 1));
        assertMessageContains(e, "250");
        assertEquals(Set.of(longest), tracker.getRun(run.id()).data().params().keySet());
    }

    @Test
    @DisplayName("a 6,000-character value is stored whole; 6,001 characters fail with InvalidInputException")
    default void valueLength(Tracker tracker) {
        ActiveRun run = tracker.startRun("iris");
        String longest = text(6000, "0123456789 abcdefghij-ÄÖÜé€/");
        run.logParam("config", longest);
        assertEquals(longest, tracker.getRun(run.id()).data().params().get("config"));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> run.logParam("config2", text(6001, "x")));
        assertMessageContains(e, "config2");
        assertFalse(tracker.getRun(run.id()).data().params().containsKey("config2"), "a rejected value must not be stored");
    }
}
