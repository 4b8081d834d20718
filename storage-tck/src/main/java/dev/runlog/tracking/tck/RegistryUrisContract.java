package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.KitAssertions.assertThrowsWith;
import static dev.runlog.tracking.tck.RegistryKitData.FAST_POLL;
import static dev.runlog.tracking.tck.RegistryKitData.cases;
import static dev.runlog.tracking.tck.RegistryKitData.linear;
import static dev.runlog.tracking.tck.RegistryKitData.registerNew;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runlog.registry.DeployOptions;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.Stage;
import dev.runlog.registry.TransitionOptions;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.ModelFlavor;
import dev.runlog.tracking.NotFoundException;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code models:/} URIs: every form resolves to the right version and loads the right model. */
public interface RegistryUrisContract {

    /**
     * iris v1 Archived, v2 Production, v3 Staging, v4 None; @champion on 2, @challenger on 3.
     * Each version's model is {@code linear(version)}.
     */
    @BeforeEach
    default void fixture(ModelRegistry registry, StoreHarness kit) {
        for (int i = 1; i <= 4; i++) {
            registerNew(kit, "iris", i);
        }
        registry.transition("iris", 1, Stage.ARCHIVED);
        registry.transition("iris", 2, Stage.PRODUCTION);
        registry.transition("iris", 3, Stage.STAGING);
        registry.setAlias("iris", "champion", 2);
        registry.setAlias("iris", "challenger", 3);
    }

    static Stream<Arguments> forms() {
        return Stream.of(
                Arguments.of("models:/iris/3", 3),
                Arguments.of("models:/iris/1", 1),
                Arguments.of("models:/iris/Production", 2),
                Arguments.of("models:/iris/production", 2),
                Arguments.of("models:/iris/PRODUCTION", 2),
                Arguments.of("models:/iris/STAGING", 3),
                Arguments.of("models:/iris/Staging", 3),
                Arguments.of("models:/iris/archived", 1),
                Arguments.of("models:/iris/None", 4),
                Arguments.of("models:/iris@champion", 2),
                Arguments.of("models:/iris@challenger", 3),
                Arguments.of("models:/iris/latest", 4));
    }

    @TestFactory
    @DisplayName("each URI form resolves to its version and loads the model logged for it")
    default Stream<DynamicTest> resolvesAndLoads(ModelRegistry registry) {
        // Dynamic tests share the fixture, built once: the cases only read.
        return cases(forms(), (String uri, Integer version) -> uri + " -> version " + version, (uri, version) -> {
            assertEquals(registry.getVersion("iris", version), registry.resolve(uri));
            assertEquals(linear(version), registry.load(uri, TestModels.LinearModel.class));
            assertEquals(linear(version), registry.load(uri, TestModels.LinearModel.class, ModelFlavor.json()));
        });
    }

    @Test
    @DisplayName("a stage URI resolves to the highest version in the stage; latest to the highest version")
    default void highestWins(ModelRegistry registry, StoreHarness kit) {
        registerNew(kit, "iris", 5);
        registry.transition("iris", 5, Stage.PRODUCTION);
        assertEquals(5, registry.resolve("models:/iris/Production").version());
        registry.transition("iris", 5, Stage.ARCHIVED);
        assertEquals(2, registry.resolve("models:/iris/Production").version());
        assertEquals(5, registry.resolve("models:/iris/latest").version());
        registry.deleteVersion("iris", 5);
        assertEquals(4, registry.resolve("models:/iris/latest").version());
    }

    @Test
    @DisplayName("a URI follows a move: the alias, the stage")
    default void followsMoves(ModelRegistry registry) {
        registry.setAlias("iris", "champion", 4);
        registry.transition("iris", 4, Stage.PRODUCTION, TransitionOptions.archiveExisting());
        assertEquals(linear(4), registry.load("models:/iris@champion", TestModels.LinearModel.class));
        assertEquals(linear(4), registry.load("models:/iris/Production", TestModels.LinearModel.class));
    }

    @Test
    @DisplayName("ModelVersion.uri() resolves to that version")
    default void versionUri(ModelRegistry registry) {
        ModelVersion v3 = registry.getVersion("iris", 3);
        assertEquals("models:/iris/3", v3.uri());
        assertEquals(v3, registry.resolve(v3.uri()));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("iris/1", "does not start with 'models:/'"),
                Arguments.of("runs:/0123456789abcdef0123456789abcdef/model", "does not start with 'models:/'"),
                Arguments.of("Models:/iris/1", "does not start with 'models:/'"),
                Arguments.of("models:iris/1", "does not start with 'models:/'"),
                Arguments.of("models://1", "model name is empty"),
                Arguments.of("models:/@champion", "model name is empty"),
                Arguments.of("models:/iris", "names no version, stage, alias or 'latest'"),
                Arguments.of("models:/", "names no version, stage, alias or 'latest'"),
                Arguments.of("models:/iris/", "exactly one segment"),
                Arguments.of("models:/a/b/c", "exactly one segment"),
                Arguments.of("models:/iris/3/", "exactly one segment"),
                Arguments.of("models:/iris@", "alias after '@' is empty"),
                Arguments.of("models:/iris/Prod", "'Prod' is not a version number, a stage"),
                Arguments.of("models:/iris/deployed", "'deployed' is not a version number, a stage"),
                Arguments.of("models:/iris/-1", "'-1' is not a version number"),
                Arguments.of("models:/iris/99999999999", "out of range"));
    }

    @TestFactory
    @DisplayName("a malformed URI fails with InvalidInputException saying why")
    default Stream<DynamicTest> malformedUri(ModelRegistry registry) {
        return cases(malformed(), (String uri, String why) -> uri, (uri, why) -> {
            InvalidInputException e = assertThrowsWith(InvalidInputException.class, () -> registry.resolve(uri),
                    "'" + uri + "'", why);
            assertEquals(e.getMessage(), assertThrows(InvalidInputException.class,
                    () -> registry.load(uri, TestModels.LinearModel.class)).getMessage(), "load says the same");
            assertThrows(InvalidInputException.class,
                    () -> registry.deploy(uri, Map.class, DeployOptions.defaults().pollInterval(FAST_POLL)));
        });
    }

    @TestFactory
    @DisplayName("an alias in a URI is checked like any alias: invalid or reserved ones fail with InvalidInputException")
    default Stream<DynamicTest> invalidAliasInUri(ModelRegistry registry) {
        return Stream.of("models:/iris@two words", "models:/iris@dotted.alias", "models:/iris@latest",
                        "models:/iris@v2", "models:/iris@a/b")
                .map(uri -> DynamicTest.dynamicTest(uri,
                        () -> assertThrowsWith(InvalidInputException.class, () -> registry.resolve(uri), "alias")));
    }

    @ParameterizedTest(name = "{0} fails naming {1}")
    @CsvSource(delimiter = '|', value = {"models:/iris/0 | version 0", "models:/ iris/1 | whitespace"})
    @DisplayName("version 0 or an invalid model name in a URI fails with InvalidInputException")
    default void invalidPartOfUri(String uri, String problem, ModelRegistry registry) {
        assertThrowsWith(InvalidInputException.class, () -> registry.resolve(uri), problem);
    }

    @Test
    @DisplayName("a URI pointing at nothing fails with NotFoundException naming what is missing")
    default void pointsAtNothing(ModelRegistry registry) {
        registry.createModel("empty");
        assertAll(
                resolvesToNothing(registry, "models:/iris/99", "'iris'", "version 99"),
                resolvesToNothing(registry, "models:/iris@ghost", "'iris'", "'ghost'"),
                resolvesToNothing(registry, "models:/empty/Production", "'empty'", "Production"),
                resolvesToNothing(registry, "models:/empty/latest", "'empty'"),
                resolvesToNothing(registry, "models:/ghost/1", "'ghost'", "does not exist"),
                resolvesToNothing(registry, "models:/ghost/Production", "'ghost'", "does not exist"),
                resolvesToNothing(registry, "models:/ghost@champion", "'ghost'", "does not exist"),
                () -> assertThrowsWith(NotFoundException.class,
                        () -> registry.load("models:/iris/99", TestModels.LinearModel.class), "version 99"));
        registry.transition("iris", 3, Stage.ARCHIVED);
        assertThrowsWith(NotFoundException.class, () -> registry.resolve("models:/iris/Staging"), "Staging");
    }

    /** A check that resolving {@code uri} fails with NotFoundException whose message names every part. */
    private static Executable resolvesToNothing(ModelRegistry registry, String uri, String... named) {
        return () -> assertThrowsWith(NotFoundException.class, () -> registry.resolve(uri), named);
    }
}
