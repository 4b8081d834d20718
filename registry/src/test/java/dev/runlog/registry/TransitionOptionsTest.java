package dev.runlog.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.InvalidInputException;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** TransitionOptions are immutable values: each setter gives a copy, and text with an unpaired surrogate is refused. */
class TransitionOptionsTest {

    @Test
    @DisplayName("defaults archive nothing and name no comment or user; each setter returns a changed copy")
    void copies() {
        TransitionOptions defaults = TransitionOptions.defaults();
        assertFalse(defaults.archivesExisting());
        assertEquals(Optional.empty(), defaults.comment());
        assertEquals(Optional.empty(), defaults.user());
        TransitionOptions changed = TransitionOptions.archiveExisting().comment("ship it").user("ana");
        assertTrue(changed.archivesExisting());
        assertEquals(Optional.of("ship it"), changed.comment());
        assertEquals(Optional.of("ana"), changed.user());
        assertFalse(changed.archiveExisting(false).archivesExisting());
        assertEquals(Optional.of("ship it"), changed.archiveExisting(false).comment());
        assertEquals(Optional.empty(), changed.comment(null).comment());
        assertFalse(defaults.archivesExisting(), "defaults() is not changed by its copies");
        assertEquals("TransitionOptions[archiveExisting=true, comment=ship it, user=ana]", changed.toString());
    }

    @Test
    @DisplayName("a comment or user with an unpaired surrogate fails with InvalidInputException naming the field")
    void unpairedSurrogates() {
        InvalidInputException comment = assertThrows(InvalidInputException.class, () -> TransitionOptions.defaults().comment("a\uD800"));
        assertTrue(comment.getMessage().contains("transition comment"), comment::getMessage);
        InvalidInputException user = assertThrows(InvalidInputException.class, () -> TransitionOptions.defaults().user("\uDC00"));
        assertTrue(user.getMessage().contains("transition user"), user::getMessage);
    }
}
