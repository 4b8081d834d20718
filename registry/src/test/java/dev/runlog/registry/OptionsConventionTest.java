package dev.runlog.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ModelFlavor;
import dev.runlog.tracking.ModelOptions;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every options class of the API reads the same way: record-like accessors, setters returning copies. */
class OptionsConventionTest {

    @Test
    void noOptionsClassHasAGetOrIsAccessor() {
        for (Class<?> options : List.of(ModelOptions.class, DeployOptions.class, TransitionOptions.class)) {
            List<String> prefixed = Arrays.stream(options.getMethods())
                    .filter(m -> m.getDeclaringClass() == options && !Modifier.isStatic(m.getModifiers()))
                    .filter(m -> !m.isAnnotationPresent(Deprecated.class))
                    .map(Method::getName)
                    .filter(name -> name.matches("(get|is|with)[A-Z].*"))
                    .toList();
            assertEquals(List.of(), prefixed, options.getSimpleName() + " accessors and setters take no prefix");
        }
    }

    @Test
    void deployOptionsReadBackWhatWasSetAndStayUnchanged() {
        DeployOptions defaults = DeployOptions.defaults();
        ModelFlavor flavor = ModelFlavor.json();
        DeployOptions changed = defaults.pollInterval(Duration.ofMillis(200)).flavor(flavor);

        assertEquals(Duration.ofMillis(200), changed.pollInterval());
        assertEquals(Optional.of(flavor), changed.flavor());
        assertEquals(Duration.ofSeconds(1), defaults.pollInterval(), "setters return copies");
        assertEquals(Optional.empty(), defaults.flavor());
    }

    @Test
    void transitionOptionsReadBackWhatWasSetAndStayUnchanged() {
        TransitionOptions defaults = TransitionOptions.defaults();
        TransitionOptions changed = TransitionOptions.archiveExisting().comment("beats v3").user("ci");

        assertTrue(changed.archivesExisting());
        assertEquals(Optional.of("beats v3"), changed.comment());
        assertEquals(Optional.of("ci"), changed.user());
        assertFalse(changed.archiveExisting(false).archivesExisting());
        assertFalse(defaults.archivesExisting(), "setters return copies");
        assertEquals(Optional.empty(), defaults.archiveChoice(), "no choice: transitions keep, promotions archive");
        assertEquals(Optional.of(false), defaults.archiveExisting(false).archiveChoice());
        assertEquals(Optional.of(true), changed.archiveChoice());
        assertEquals(Optional.empty(), defaults.comment());
        assertEquals(Optional.empty(), defaults.user());
    }
}
