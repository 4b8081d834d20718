package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.KitAssertions.assertMessageContains;
import static dev.runlog.tracking.tck.KitAssertions.userTags;
import static dev.runlog.tracking.tck.KitData.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.Tracker;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Rule 7: tags are mutable labels. */
public interface TagsContract {

    @Test
    @DisplayName("setTag stores the tag")
    default void setTagStores(Tracker tracker) {
        ActiveRun run = tracker.startRun("iris");
        run.setTag("team", "vision").setTag("note", "");
        assertEquals(Map.of("team", "vision", "note", ""), userTags(tracker.getRun(run.id())));
    }

    @Test
    @DisplayName("setTag again overwrites the value, also of a tag set by the builder")
    default void setTagOverwrites(Tracker tracker) {
        ActiveRun run = tracker.newRun("iris").tag("stage", "draft").start();
        run.setTag("team", "vision");
        run.setTag("team", "nlp");
        run.setTag("stage", "final");
        assertEquals(Map.of("team", "nlp", "stage", "final"), userTags(tracker.getRun(run.id())));
    }

    @Test
    @DisplayName("an 8,000-character value is stored whole; 8,001 characters fail with InvalidInputException")
    default void valueLength(Tracker tracker) {
        String longest = text(8000, "tag value ÄÖÜ é € 0123456789/");
        ActiveRun run = tracker.startRun("iris").setTag("description", longest);
        assertEquals(longest, tracker.getRun(run.id()).data().tags().get("description"));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> run.setTag("description", text(8001, "y")));
        assertMessageContains(e, "description");
        assertEquals(longest, tracker.getRun(run.id()).data().tags().get("description"));
        assertThrows(InvalidInputException.class, () -> tracker.newRun("iris").tag("t", text(8001, "y")));
    }
}
