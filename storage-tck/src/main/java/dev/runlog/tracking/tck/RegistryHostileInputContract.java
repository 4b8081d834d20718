package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.KitAssertions.assertThrowsWith;
import static dev.runlog.tracking.tck.RegistryKitData.linear;
import static dev.runlog.tracking.tck.RegistryKitData.logModel;
import static dev.runlog.tracking.tck.RegistryKitData.names;
import static dev.runlog.tracking.tck.RegistryKitData.refs;
import static dev.runlog.tracking.tck.RegistryKitData.registerNew;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.Stage;
import dev.runlog.registry.TransitionOptions;
import dev.runlog.tracking.InvalidFilterException;
import dev.runlog.tracking.InvalidInputException;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile input: registry searches share the run search's limits, and text that is not valid
 * Unicode never reaches a store, where SQLite would turn it into '?' and merge distinct names.
 */
public interface RegistryHostileInputContract {

    String BAD = "x\uD800y";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"deep parentheses", "deep NOTs", "too many conditions"})
    @DisplayName("searchModels and searchVersions reject filters past the limits, never with a StackOverflowError")
    default void filterLimits(String shape, ModelRegistry registry, StoreHarness kit) {
        registerNew(kit, "m", 1);
        String filter = switch (shape) {
            case "deep parentheses" -> "(".repeat(3_000) + "name = 'm'" + ")".repeat(3_000);
            case "deep NOTs" -> "NOT ".repeat(20_000) + "name = 'm'";
            default -> String.join(" OR ", Collections.nCopies(2_001, "name = 'm'"));
        };
        String limit = shape.equals("too many conditions") ? "2000" : "100";
        assertThrowsWith(InvalidFilterException.class, () -> registry.searchModels(filter), limit);
        assertThrowsWith(InvalidFilterException.class, () -> registry.searchVersions(filter), limit);
    }

    @Test
    @DisplayName("the deepest and longest allowed filters answer")
    default void largestAllowedFilters(ModelRegistry registry, StoreHarness kit) {
        registerNew(kit, "m", 1);
        registerNew(kit, "n", 2);
        String deep = "(".repeat(99) + "name = 'n'" + ")".repeat(99);
        assertEquals(List.of("n"), names(registry.searchModels(deep)));
        assertEquals(List.of("n/1"), refs(registry.searchVersions("NOT ".repeat(100) + "name = 'n'")));
        String longest = String.join(" OR ", Collections.nCopies(1_999, "name = 'x'")) + " OR name = 'm'";
        assertEquals(List.of("m"), names(registry.searchModels(longest)));
    }

    @Test
    @DisplayName("an unpaired UTF-16 surrogate is rejected in names, descriptions, tags, comments and filters, naming the field")
    default void unpairedSurrogates(ModelRegistry registry, StoreHarness kit) {
        ModelVersion v = registerNew(kit, "m", 1);
        String uri = logModel(kit, linear(2));
        assertThrowsWith(InvalidInputException.class, () -> registry.createModel(BAD), "registered model name", "surrogate");
        assertThrowsWith(InvalidInputException.class, () -> registry.register(BAD, uri), "registered model name", "surrogate");
        assertThrowsWith(InvalidInputException.class, () -> registry.renameModel("m", BAD), "registered model name", "surrogate");
        assertThrowsWith(InvalidInputException.class, () -> registry.updateDescription("m", BAD), "description", "surrogate");
        assertThrowsWith(InvalidInputException.class, () -> registry.updateDescription("m", v.version(), BAD), "description",
                "surrogate");
        assertThrowsWith(InvalidInputException.class, () -> registry.setModelTag("m", BAD, "v"), "tag key", "surrogate");
        assertThrowsWith(InvalidInputException.class, () -> registry.setModelTag("m", "k", BAD), "value of tag 'k'", "surrogate");
        assertThrowsWith(InvalidInputException.class, () -> registry.setVersionTag("m", v.version(), "k", BAD),
                "value of tag 'k'", "surrogate");
        assertThrowsWith(InvalidInputException.class, () -> registry.setAlias("m", BAD, v.version()), "alias");
        assertThrowsWith(InvalidInputException.class, () -> registry.transition("m", v.version(), Stage.STAGING,
                TransitionOptions.defaults().comment(BAD)), "transition comment", "surrogate");
        assertThrowsWith(InvalidInputException.class, () -> registry.transition("m", v.version(), Stage.STAGING,
                TransitionOptions.defaults().user(BAD)), "transition user", "surrogate");
        assertThrowsWith(InvalidFilterException.class, () -> registry.searchModels("name = '" + BAD + "'"), "surrogate");
        assertThrowsWith(InvalidFilterException.class, () -> registry.searchVersions("tags.k = '" + BAD + "'"), "surrogate");
        assertEquals(List.of("m"), names(registry.searchModels("")), "nothing was stored");
        assertEquals(Stage.NONE, registry.getVersion("m", v.version()).stage());
    }

    @Test
    @DisplayName("names that differ only in a surrogate pair (emoji) stay distinct and come back exactly")
    default void surrogatePairs(ModelRegistry registry, StoreHarness kit) {
        String smile = "model \uD83D\uDE00";
        String wink = "model \uD83D\uDE09";
        registerNew(kit, smile, 1);
        registerNew(kit, wink, 2);
        registry.updateDescription(smile, "\uD83D\uDE00 works");
        assertEquals(List.of(smile, wink), names(registry.searchModels("name LIKE 'model %'")).stream().sorted().toList());
        assertEquals("\uD83D\uDE00 works", registry.getModel(smile).description());
        assertEquals(List.of(wink + "/1"), refs(registry.searchVersions("name = '" + wink + "'")));
    }
}
