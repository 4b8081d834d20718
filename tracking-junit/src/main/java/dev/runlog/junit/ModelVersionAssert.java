package dev.runlog.junit;

import dev.runlog.junit.internal.Describe;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.Stage;
import dev.runlog.tracking.spi.InputRules;
import java.util.List;
import java.util.Map;
import org.opentest4j.AssertionFailedError;

/**
 * Fluent assertions on a registered {@link ModelVersion}, from
 * {@link RunlogAssertions#assertThat(ModelVersion)}. Each check returns this object, so checks
 * chain; the first that does not hold throws an {@link AssertionFailedError} saying what the
 * version did have, such as
 *
 * <pre>
 * expected version 3 of model 'iris' to be in stage Production, but it is in stage Staging
 * </pre>
 *
 * <pre>{@code
 * registry.promote("iris", 3, Stage.PRODUCTION, Gates.metricAtLeast("accuracy", 0.9));
 * assertThat(registry.getVersion("iris", 3))
 *         .isVersion(3)
 *         .hasStage(Stage.PRODUCTION)
 *         .hasAlias("champion")
 *         .hasTag("validated_by", "ci");
 * }</pre>
 *
 * <p>The checks read the {@code ModelVersion} snapshot given to {@code assertThat}; read it again
 * from the registry to see later changes.
 */
public final class ModelVersionAssert {
    private final ModelVersion version;

    ModelVersionAssert(ModelVersion version) {
        this.version = version;
    }

    /** Checks the version's number: 1 for the first version registered under its name. */
    public ModelVersionAssert isVersion(int expected) {
        if (version.version() != expected) {
            throw new AssertionFailedError("expected version " + expected + " of model '" + version.name()
                    + "', but it is version " + version.version(), expected, version.version());
        }
        return this;
    }

    /** Checks the version's stage, such as {@link Stage#PRODUCTION}. */
    public ModelVersionAssert hasStage(Stage expected) {
        InputRules.notNull("expected", expected);
        if (version.stage() != expected) {
            throw new AssertionFailedError(expectation("be in stage " + expected) + ", but it is in stage "
                    + version.stage(), expected, version.stage());
        }
        return this;
    }

    /** Checks that the alias {@code alias}, such as {@code "champion"}, points to this version. */
    public ModelVersionAssert hasAlias(String alias) {
        InputRules.notNull("alias", alias);
        List<String> aliases = version.aliases();
        if (!aliases.contains(alias)) {
            throw new AssertionFailedError(expectation("have alias '" + alias + "'") + ", but "
                    + (aliases.isEmpty() ? "it has no aliases" : "its aliases were " + aliases));
        }
        return this;
    }

    /** Checks that the version has the tag {@code key} set to {@code expected}. */
    public ModelVersionAssert hasTag(String key, String expected) {
        InputRules.notNull("key", key);
        InputRules.notNull("expected", expected);
        Map<String, String> tags = version.tags();
        String actual = tags.get(key);
        if (actual == null) {
            throw new AssertionFailedError(expectation("have tag " + key + " = " + expected)
                    + ", but it has no tag " + key + "; tags were " + Describe.map(tags));
        }
        if (!actual.equals(expected)) {
            throw new AssertionFailedError(expectation("have tag " + key + " = " + expected)
                    + ", but " + key + " = " + actual + "; tags were " + Describe.map(tags), expected, actual);
        }
        return this;
    }

    private String expectation(String what) {
        return "expected version " + version.version() + " of model '" + version.name() + "' to " + what;
    }
}
