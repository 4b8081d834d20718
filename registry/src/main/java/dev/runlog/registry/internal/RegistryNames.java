package dev.runlog.registry.internal;

import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.spi.InputRules;
import java.util.Locale;
import java.util.regex.Pattern;

/** Checks of names, aliases and numbers before anything reaches a store (public for the SPI's snapshots; the package is not exported). */
public final class RegistryNames {
    private static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9_-]{1,255}");
    private static final Pattern RESERVED_VERSION_ALIAS = Pattern.compile("[vV]\\d+");
    static final int MAX_DESCRIPTION = 5_000;

    private RegistryNames() {
    }

    /**
     * A model name: what an experiment name may be, minus {@code /} and {@code @}, which would make
     * its {@code models:/} URIs ambiguous, and minus control characters and edge whitespace.
     */
    public static String model(String name) {
        InputRules.name("registered model", name);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '@' || Character.isISOControl(c)) {
                throw new InvalidInputException("registered model name '" + name + "' contains "
                        + (c == '/' || c == '@' ? "'" + c + "'" : "a control character") + " at position " + (i + 1)
                        + "; model names may not contain '/', '@' or control characters");
            }
        }
        if (!name.strip().equals(name)) {
            throw new InvalidInputException("registered model name '" + name + "' starts or ends with whitespace");
        }
        return name;
    }

    public static int version(int version) {
        if (version < 1) {
            throw new InvalidInputException("version " + version + " is invalid; version numbers start at 1");
        }
        return version;
    }

    public static String alias(String alias) {
        if (alias == null) {
            throw new InvalidInputException("alias must not be null");
        }
        if (!ALIAS.matcher(alias).matches()) {
            throw new InvalidInputException("alias '" + alias + "' is invalid; aliases are 1 to 255 letters, digits,"
                    + " '_' or '-'");
        }
        if (alias.toLowerCase(Locale.ROOT).equals("latest") || RESERVED_VERSION_ALIAS.matcher(alias).matches()) {
            throw new InvalidInputException("alias '" + alias + "' is reserved: 'latest' and 'v<digits>' name versions");
        }
        return alias;
    }

    public static String description(String description) {
        String text = InputRules.text("description", description == null ? "" : description);
        if (text.length() > MAX_DESCRIPTION) {
            throw new InvalidInputException("description is " + text.length() + " characters long; the limit is "
                    + MAX_DESCRIPTION);
        }
        return text;
    }
}
