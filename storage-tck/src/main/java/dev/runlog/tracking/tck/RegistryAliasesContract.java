package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.KitAssertions.assertThrowsWith;
import static dev.runlog.tracking.tck.RegistryKitData.registerNew;
import static dev.runlog.tracking.tck.RegistryKitData.registerVersions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runlog.registry.ModelEvent.Action;
import dev.runlog.registry.ModelEvent;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.Stage;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.NotFoundException;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Aliases: named pointers at versions, moved and deleted, reserved words refused. */
public interface RegistryAliasesContract {

    @Test
    @DisplayName("setAlias points an alias at a version; getByAlias, the version and the model show it")
    default void setAndGet(ModelRegistry registry, StoreHarness kit) {
        registerVersions(kit, "iris", 2);
        ModelVersion pointed = registry.setAlias("iris", "champion", 1);
        assertEquals(1, pointed.version());
        assertEquals(List.of("champion"), pointed.aliases());
        assertEquals(registry.getVersion("iris", 1), registry.getByAlias("iris", "champion"));
        assertEquals(Map.of("champion", 1), registry.getModel("iris").aliases());
        assertEquals(List.of(), registry.getVersion("iris", 2).aliases());
    }

    @Test
    @DisplayName("setAlias on a version that has it elsewhere moves it")
    default void move(ModelRegistry registry, StoreHarness kit) {
        registerVersions(kit, "iris", 2);
        registry.setAlias("iris", "champion", 1);
        ModelVersion moved = registry.setAlias("iris", "champion", 2);
        assertEquals(List.of("champion"), moved.aliases());
        assertEquals(2, registry.getByAlias("iris", "champion").version());
        assertEquals(List.of(), registry.getVersion("iris", 1).aliases());
        assertEquals(Map.of("champion", 2), registry.getModel("iris").aliases());
    }

    @Test
    @DisplayName("a version lists all its aliases, sorted; aliases are per model")
    default void versionsListAliases(ModelRegistry registry, StoreHarness kit) {
        registerNew(kit, "iris", 1);
        registerNew(kit, "wine", 2);
        registry.setAlias("iris", "staging-candidate", 1);
        registry.setAlias("iris", "Champion", 1);
        registry.setAlias("iris", "b_2", 1);
        registry.setAlias("wine", "champion", 1);
        assertEquals(List.of("Champion", "b_2", "staging-candidate"), registry.getVersion("iris", 1).aliases());
        assertEquals(List.of("Champion", "b_2", "staging-candidate"),
                registry.searchVersions("name = 'iris'").get(0).aliases());
        assertEquals(Map.of("Champion", 1, "b_2", 1, "staging-candidate", 1), registry.getModel("iris").aliases());
        assertEquals(List.of("champion"), registry.getVersion("wine", 1).aliases());
        assertThrows(NotFoundException.class, () -> registry.getByAlias("iris", "champion"),
                "aliases are case-sensitive and per model");
    }

    @Test
    @DisplayName("deleteAlias removes it; deleting an alias that is not set fails with NotFoundException")
    default void delete(ModelRegistry registry, StoreHarness kit) {
        registerChampion(kit);
        registry.setAlias("iris", "backup", 1);
        registry.deleteAlias("iris", "champion");
        assertThrowsWith(NotFoundException.class, () -> registry.getByAlias("iris", "champion"), "'champion'", "'iris'");
        assertEquals(List.of("backup"), registry.getVersion("iris", 1).aliases());
        assertEquals(Map.of("backup", 1), registry.getModel("iris").aliases());
        int trail = registry.history("iris").size();
        assertThrowsWith(NotFoundException.class, () -> registry.deleteAlias("iris", "champion"), "'champion'");
        assertThrowsWith(NotFoundException.class, () -> registry.deleteAlias("iris", "never-set"), "'never-set'");
        assertThrowsWith(NotFoundException.class, () -> registry.deleteAlias("ghost", "champion"), "'ghost'");
        assertEquals(trail, registry.history("iris").size(), "failed deletes record nothing");
    }

    @Test
    @DisplayName("aliases survive stage transitions")
    default void surviveTransitions(ModelRegistry registry, StoreHarness kit) {
        registerChampion(kit);
        registry.transition("iris", 1, Stage.PRODUCTION);
        registry.transition("iris", 1, Stage.ARCHIVED);
        assertEquals(List.of("champion"), registry.getByAlias("iris", "champion").aliases());
        assertEquals(Stage.ARCHIVED, registry.getByAlias("iris", "champion").stage());
    }

    @Test
    @DisplayName("getByAlias of a missing model names the model")
    default void getByAliasOfMissingModel(ModelRegistry registry) {
        assertThrowsWith(NotFoundException.class, () -> registry.getByAlias("ghost", "champion"), "'ghost'");
    }

    @Test
    @DisplayName("setAlias on a missing version fails with NotFoundException and leaves the alias where it was")
    default void setAliasOnMissingVersion(ModelRegistry registry, StoreHarness kit) {
        registerChampion(kit);
        assertThrowsWith(NotFoundException.class, () -> registry.setAlias("iris", "champion", 5), "version 5");
        assertThrowsWith(NotFoundException.class, () -> registry.setAlias("ghost", "champion", 1), "'ghost'");
        assertEquals(1, registry.getByAlias("iris", "champion").version());
    }

    @Test
    @DisplayName("an alias disappears with its version")
    default void goesWithItsVersion(ModelRegistry registry, StoreHarness kit) {
        registerVersions(kit, "iris", 2);
        registry.setAlias("iris", "champion", 1);
        registry.setAlias("iris", "challenger", 2);
        registry.deleteVersion("iris", 1);
        assertThrows(NotFoundException.class, () -> registry.getByAlias("iris", "champion"));
        assertThrows(NotFoundException.class, () -> registry.resolve("models:/iris@champion"));
        assertEquals(Map.of("challenger", 2), registry.getModel("iris").aliases());
        assertThrows(NotFoundException.class, () -> registry.deleteAlias("iris", "champion"));
        List<ModelEvent> last = registry.history("iris", 1);
        assertEquals(List.of(Action.ALIAS_DELETED, Action.VERSION_DELETED),
                last.subList(last.size() - 2, last.size()).stream().map(ModelEvent::action).toList(),
                () -> "the trail says the alias went with the version: " + last);
        assertEquals("champion", last.get(last.size() - 2).alias());
        registerNew(kit, "iris", 3);
        assertThrows(NotFoundException.class, () -> registry.getByAlias("iris", "champion"),
                "a later version does not inherit the alias");
    }

    @TestFactory
    @DisplayName("reserved aliases ('latest' and v<digits>, in any case) fail with InvalidInputException")
    default Stream<DynamicTest> reserved(ModelRegistry registry, StoreHarness kit) {
        registerNew(kit, "iris", 1);
        return Stream.of("latest", "LATEST", "Latest", "v1", "V12", "v007").map(alias -> DynamicTest.dynamicTest(alias,
                () -> {
                    assertThrowsWith(InvalidInputException.class, () -> registry.setAlias("iris", alias, 1), alias,
                            "reserved");
                    assertThrowsWith(InvalidInputException.class, () -> registry.getByAlias("iris", alias), "reserved");
                    assertThrowsWith(InvalidInputException.class, () -> registry.deleteAlias("iris", alias), "reserved");
                    assertEquals(Map.of(), registry.getModel("iris").aliases());
                }));
    }

    @TestFactory
    @DisplayName("aliases other than letters, digits, '_' and '-' fail with InvalidInputException")
    default Stream<DynamicTest> invalidCharacters(ModelRegistry registry, StoreHarness kit) {
        registerNew(kit, "iris", 1);
        return Stream.of("", "two words", "dotted.name", "a/b", "a@b", "émoji", "tab\t", "semi;colon")
                .map(alias -> DynamicTest.dynamicTest("'" + alias.replace("\t", "\\t") + "'", () -> {
                    assertThrowsWith(InvalidInputException.class, () -> registry.setAlias("iris", alias, 1), "alias");
                    assertEquals(Map.of(), registry.getModel("iris").aliases());
                }));
    }

    @Test
    @DisplayName("aliases that only look reserved are valid, up to 255 characters")
    default void nearlyReserved(ModelRegistry registry, StoreHarness kit) {
        registerNew(kit, "iris", 1);
        List<String> valid = List.of("v1a", "vv1", "v", "version-2", "latest-good", "x_Y-9", "a".repeat(255));
        for (String alias : valid) {
            assertEquals(1, registry.setAlias("iris", alias, 1).version(), alias);
        }
        assertEquals(new TreeSet<>(valid), registry.getModel("iris").aliases().keySet());
        assertThrows(InvalidInputException.class, () -> registry.setAlias("iris", "a".repeat(256), 1));
        assertThrows(InvalidInputException.class, () -> registry.setAlias("iris", null, 1));
    }

    /** Registers version 1 of a new model "iris" and points its alias "champion" at it. */
    private static void registerChampion(StoreHarness kit) {
        registerNew(kit, "iris", 1);
        kit.registry().setAlias("iris", "champion", 1);
    }
}
