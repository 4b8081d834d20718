package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.KitAssertions.assertMessageContains;
import static dev.runlog.tracking.tck.KitData.UNKNOWN_RUN_ID;
import static dev.runlog.tracking.tck.RegistryKitData.PROCESS_USER;
import static dev.runlog.tracking.tck.RegistryKitData.cases;
import static dev.runlog.tracking.tck.RegistryKitData.linear;
import static dev.runlog.tracking.tck.RegistryKitData.logModel;
import static dev.runlog.tracking.tck.RegistryKitData.names;
import static dev.runlog.tracking.tck.RegistryKitData.refs;
import static dev.runlog.tracking.tck.RegistryKitData.registerNew;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.Stage;
import dev.runlog.tracking.InvalidFilterException;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.provider.Arguments;

/** Search: the run search grammar over models and versions, in a fixed order. */
public interface RegistrySearchContract {

    /**
     * Models IRIS-legacy (team vision), iris (team vision), iris-v2 (no versions), wine (team
     * tabular). iris v1 None, v2 Production, v3 Staging tagged validated=true; wine v1 Production
     * (the same logged model as iris v2), v2 None tagged validated=false; IRIS-legacy v1 None.
     */
    @BeforeEach
    default void fixture(ModelRegistry registry, StoreHarness kit) {
        registerNew(kit, "iris", 1);
        String shared = logModel(kit, linear(2));
        registry.register("iris", shared);
        registerNew(kit, "iris", 3);
        registry.transition("iris", 2, Stage.PRODUCTION);
        registry.transition("iris", 3, Stage.STAGING);
        registry.setVersionTag("iris", 3, "validated", "true");
        registry.register("wine", shared);
        registerNew(kit, "wine", 4);
        registry.transition("wine", 1, Stage.PRODUCTION);
        registry.setVersionTag("wine", 2, "validated", "false");
        registerNew(kit, "IRIS-legacy", 5);
        registry.createModel("iris-v2");
        registry.setModelTag("iris", "team", "vision");
        registry.setModelTag("IRIS-legacy", "team", "vision");
        registry.setModelTag("wine", "team", "tabular");
    }

    @TestFactory
    @DisplayName("searchModels filters by name and tags and returns models by name")
    default Stream<DynamicTest> searchModels(ModelRegistry registry) {
        return filterCases(modelFilters(), filter -> names(registry.searchModels(filter)));
    }

    static Stream<Arguments> modelFilters() {
        return Stream.of(
                Arguments.of(null, List.of("IRIS-legacy", "iris", "iris-v2", "wine")),
                Arguments.of("", List.of("IRIS-legacy", "iris", "iris-v2", "wine")),
                Arguments.of("name = 'wine'", List.of("wine")),
                Arguments.of("name != 'iris'", List.of("IRIS-legacy", "iris-v2", "wine")),
                Arguments.of("name LIKE 'iris%'", List.of("iris", "iris-v2")),
                Arguments.of("name ILIKE 'iris%'", List.of("IRIS-legacy", "iris", "iris-v2")),
                Arguments.of("name LIKE '%-%'", List.of("IRIS-legacy", "iris-v2")),
                Arguments.of("tags.team = 'vision'", List.of("IRIS-legacy", "iris")),
                Arguments.of("name LIKE 'iris%' AND tags.team = 'vision'", List.of("iris")),
                Arguments.of("tags.team = 'tabular' OR name = 'iris-v2'", List.of("iris-v2", "wine")),
                Arguments.of("tags.team IS NULL", List.of("iris-v2")),
                Arguments.of("name IN ('wine', 'iris', 'ghost')", List.of("iris", "wine")),
                Arguments.of("name = 'ghost'", List.of()));
    }

    @Test
    @DisplayName("searchModels returns whole models: tags, aliases, description")
    default void searchModelsReturnsWholeModels(ModelRegistry registry) {
        registry.setAlias("iris", "champion", 2);
        registry.updateDescription("iris", "d");
        assertEquals(List.of(registry.getModel("iris")), registry.searchModels("name = 'iris'"));
    }

    static Stream<Arguments> versionFilters() {
        return Stream.of(
                Arguments.of(null, List.of("IRIS-legacy/1", "iris/3", "iris/2", "iris/1", "wine/2", "wine/1")),
                Arguments.of("name = 'iris'", List.of("iris/3", "iris/2", "iris/1")),
                Arguments.of("name = 'iris-v2'", List.of()),
                Arguments.of("stage = 'Production'", List.of("iris/2", "wine/1")),
                Arguments.of("current_stage = 'Staging'", List.of("iris/3")),
                Arguments.of("stage = 'production'", List.of("iris/2", "wine/1")),
                Arguments.of("stage IN ('STAGING', 'production')", List.of("iris/3", "iris/2", "wine/1")),
                Arguments.of("name = 'iris' AND stage != 'PRODUCTION'", List.of("iris/3", "iris/1")),
                Arguments.of("version >= 2", List.of("iris/3", "iris/2", "wine/2")),
                Arguments.of("version = 1", List.of("IRIS-legacy/1", "iris/1", "wine/1")),
                Arguments.of("tags.validated = 'true'", List.of("iris/3")),
                Arguments.of("tags.validated IS NOT NULL", List.of("iris/3", "wine/2")),
                Arguments.of("name = 'iris' AND version >= 2", List.of("iris/3", "iris/2")),
                Arguments.of("name = 'iris' AND (stage = 'Production' OR tags.validated = 'true')",
                        List.of("iris/3", "iris/2")),
                Arguments.of("stage = 'Production' OR tags.validated = 'true'", List.of("iris/3", "iris/2", "wine/1")),
                Arguments.of("name = 'wine' OR name = 'IRIS-legacy'", List.of("IRIS-legacy/1", "wine/2", "wine/1")),
                Arguments.of("name = 'wine' AND NOT stage = 'Production'", List.of("wine/2")),
                Arguments.of("name LIKE 'iris%'", List.of("iris/3", "iris/2", "iris/1")),
                Arguments.of("name ILIKE 'iris%' AND version < 2", List.of("IRIS-legacy/1", "iris/1")),
                Arguments.of("name = 'iris' AND name = 'wine'", List.of()),
                Arguments.of("user_id = '" + PROCESS_USER + "' AND version > 2", List.of("iris/3")));
    }

    @TestFactory
    @DisplayName("searchVersions filters by name, stage, version, tags and returns name order, newest version first")
    default Stream<DynamicTest> searchVersions(ModelRegistry registry) {
        return filterCases(versionFilters(), filter -> refs(registry.searchVersions(filter)));
    }

    @Test
    @DisplayName("searchVersions by run_id finds every version of that run, under any model; by source too")
    default void byRunId(ModelRegistry registry) {
        assertEquals(List.of("iris/2", "wine/1"), refs(registry.searchVersions("run_id = '" + registry.getVersion("iris", 2).runId() + "'")));
        assertEquals(List.of("wine/1"),
                refs(registry.searchVersions("run_id = '" + registry.getVersion("iris", 2).runId() + "' AND name = 'wine'")));
        String source = registry.getVersion("iris", 2).source();
        assertEquals(List.of("iris/2", "wine/1"), refs(registry.searchVersions("source = '" + source + "'")));
        assertEquals(List.of(), registry.searchVersions("run_id = '" + UNKNOWN_RUN_ID + "'"));
    }

    @Test
    @DisplayName("searchVersions returns whole versions, equal to getVersion, whether or not it names one model")
    default void wholeVersions(ModelRegistry registry) {
        registry.setAlias("iris", "champion", 3);
        registry.setAlias("wine", "champion", 2);
        registry.updateDescription("wine", 2, "d");
        assertEquals(List.of(registry.getVersion("iris", 3), registry.getVersion("iris", 2),
                registry.getVersion("iris", 1)), registry.searchVersions("name = 'iris'"));
        assertEquals(List.of(registry.getVersion("iris", 3), registry.getVersion("wine", 2)),
                registry.searchVersions("version >= 2 AND tags.validated IS NOT NULL"));
    }

    @Test
    @DisplayName("search follows deletes and renames")
    default void followsChanges(ModelRegistry registry) {
        registry.deleteVersion("iris", 2);
        registry.renameModel("wine", "vino");
        assertEquals(List.of("vino/1"), refs(registry.searchVersions("stage = 'Production'")));
        assertEquals(List.of("IRIS-legacy", "iris", "iris-v2", "vino"), names(registry.searchModels(null)));
        assertEquals(List.of(), registry.searchVersions("name = 'wine'"));
    }

    static Stream<Arguments> badFilters() {
        return Stream.of(
                Arguments.of("models", "name 'iris'", 6),
                Arguments.of("models", "name = ", 8),
                Arguments.of("models", "stage = 'Production'", 1),
                Arguments.of("versions", "stage = 'Production' AND", 25),
                Arguments.of("versions", "version = 'two'", 11),
                Arguments.of("versions", "metrics.accuracy > 0.9", 1),
                Arguments.of("versions", "(name = 'iris'", 15),
                // No stage: it would match nothing (or, with !=, everything) without a word.
                Arguments.of("versions", "stage = 'Bogus'", 9),
                Arguments.of("versions", "name = 'iris' AND stage = ''", 27),
                Arguments.of("versions", "name = 'iris' AND stage IN ('Staging', 'Prod')", 40));
    }

    @TestFactory
    @DisplayName("a filter that does not parse fails with InvalidFilterException naming the column")
    default Stream<DynamicTest> syntaxError(ModelRegistry registry) {
        return badFilters().map(Arguments::get).map(a -> DynamicTest.dynamicTest(a[0] + ": " + a[1], () -> {
            String filter = (String) a[1];
            int column = (Integer) a[2];
            InvalidFilterException e = assertThrows(InvalidFilterException.class, () -> {
                if (a[0].equals("models")) {
                    registry.searchModels(filter);
                } else {
                    registry.searchVersions(filter);
                }
            });
            assertEquals(filter, e.filter());
            assertEquals(column, e.column(), e::getMessage);
            assertMessageContains(e, "column " + column);
        }));
    }

    /**
     * One dynamic test per row of {@code filters} (a filter, or null, and what it finds), named by the
     * quoted filter: {@code search} of the filter must give exactly the row's list.
     */
    private static Stream<DynamicTest> filterCases(Stream<Arguments> filters, Function<String, List<String>> search) {
        return cases(filters, (String filter, List<String> expected) -> filter == null ? "null" : "\"" + filter + "\"",
                (filter, expected) -> assertEquals(expected, search.apply(filter)));
    }
}
