package dev.runlog.registry.internal;

import dev.runlog.registry.spi.RegistryNames;
import dev.runlog.registry.Stage;
import dev.runlog.tracking.InvalidInputException;
import java.util.Locale;

/**
 * A parsed {@code models:/} URI: a model name and one reference, a version, a stage, an alias or
 * "latest".
 *
 * @param name    the model
 * @param version the version number, or 0
 * @param stage   the stage, or null
 * @param alias   the alias, or null
 * @param latest  whether it is {@code models:/<name>/latest}
 */
record ModelsUri(String name, int version, Stage stage, String alias, boolean latest) {
    private static final String PREFIX = "models:/";

    static ModelsUri parse(String uri) {
        if (uri == null) {
            throw new InvalidInputException("model URI must not be null");
        }
        if (!uri.startsWith(PREFIX)) {
            throw malformed(uri, "it does not start with 'models:/'");
        }
        String rest = uri.substring(PREFIX.length());
        int at = rest.indexOf('@');
        int slash = rest.indexOf('/');
        if (at >= 0 && (slash < 0 || at < slash)) {
            String name = rest.substring(0, at);
            String alias = rest.substring(at + 1);
            checkName(uri, name);
            if (alias.isEmpty()) {
                throw malformed(uri, "the alias after '@' is empty");
            }
            try {
                RegistryNames.alias(alias);
            } catch (InvalidInputException e) {
                throw malformed(uri, e.getMessage());
            }
            return new ModelsUri(RegistryNames.model(name), 0, null, alias, false);
        }
        if (slash < 0) {
            throw malformed(uri, "it names no version, stage, alias or 'latest'");
        }
        String name = rest.substring(0, slash);
        String ref = rest.substring(slash + 1);
        checkName(uri, name);
        RegistryNames.model(name);
        if (ref.isEmpty() || ref.indexOf('/') >= 0) {
            throw malformed(uri, "expected exactly one segment after the model name");
        }
        if (ref.chars().allMatch(c -> c >= '0' && c <= '9')) {
            int version;
            try {
                version = Integer.parseInt(ref);
            } catch (NumberFormatException e) {
                throw malformed(uri, "version " + ref + " is out of range");
            }
            return new ModelsUri(name, RegistryNames.version(version), null, null, false);
        }
        if (ref.toLowerCase(Locale.ROOT).equals("latest")) {
            return new ModelsUri(name, 0, null, null, true);
        }
        try {
            return new ModelsUri(name, 0, Stage.parse(ref), null, false);
        } catch (InvalidInputException e) {
            throw malformed(uri, "'" + ref + "' is not a version number, a stage (None, Staging, Production,"
                    + " Archived) or 'latest'");
        }
    }

    private static void checkName(String uri, String name) {
        if (name.isEmpty()) {
            throw malformed(uri, "the model name is empty");
        }
    }

    private static InvalidInputException malformed(String uri, String why) {
        return new InvalidInputException("model URI '" + uri + "' is malformed: " + why
                + "; expected models:/<name>/<version>, models:/<name>/<stage>, models:/<name>@<alias>"
                + " or models:/<name>/latest");
    }

    @Override
    public String toString() {
        if (alias != null) {
            return PREFIX + name + "@" + alias;
        }
        return PREFIX + name + "/" + (version > 0 ? Integer.toString(version) : latest ? "latest" : stage.toString());
    }
}
