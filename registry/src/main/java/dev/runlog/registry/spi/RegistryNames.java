package dev.runlog.registry.spi;

import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.spi.InputRules;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The registry's rules for model names, aliases, version numbers and descriptions, checked before
 * anything reaches a store: by the registry itself and by {@link ModelSnapshot}, and for a store or
 * an import that takes them from elsewhere. Each method returns its argument when it passes.
 *
 * <pre>{@code
 * RegistryNames.model("iris-classifier");   // passes
 * RegistryNames.alias("v3");                // InvalidInputException: v<digits> names a version
 * }</pre>
 */
public final class RegistryNames {
    private static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9_-]{1,255}");
    private static final Pattern RESERVED_VERSION_ALIAS = Pattern.compile("[vV]\\d+");
    /** The longest description, in characters. */
    public static final int MAX_DESCRIPTION = 5_000;

    private RegistryNames() {
    }

    /**
     * A model name: what an experiment name may be, minus {@code /} and {@code @}, which would make
     * its {@code models:/} URIs ambiguous, and minus control and invisible format characters (a
     * zero-width space, a direction override) and whitespace at either end, a no-break space
     * included: each would let a name pass for another that looks the same.
     *
     * @throws InvalidInputException if it is null or breaks that rule
     */
    public static String model(String name) {
        InputRules.name("registered model", name);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '@' || Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                throw new InvalidInputException("registered model name '" + name + "' contains "
                        + (c == '/' || c == '@' ? "'" + c + "'" : Character.isISOControl(c) ? "a control character"
                                : String.format("the invisible character U+%04X", (int) c)) + " at position " + (i + 1)
                        + "; model names may not contain '/', '@', control or invisible format characters");
            }
        }
        if (!name.strip().equals(name) || Character.isSpaceChar(name.charAt(0))
                || Character.isSpaceChar(name.charAt(name.length() - 1))) {
            throw new InvalidInputException("registered model name '" + name + "' starts or ends with whitespace");
        }
        if (name.equals(".") || name.equals("..")) {
            // A path segment every URL resolver removes: models:/../1 and /api/models/.. name no model.
            throw new InvalidInputException("registered model name '" + name + "' is reserved: '.' and '..' are path steps,"
                    + " not names");
        }
        return name;
    }

    /**
     * A version number: from 1.
     *
     * @throws InvalidInputException if it is lower
     */
    public static int version(int version) {
        if (version < 1) {
            throw new InvalidInputException("version " + version + " is invalid; version numbers start at 1");
        }
        return version;
    }

    /**
     * An alias: 1 to 255 ASCII letters, digits, {@code _} or {@code -}, not {@code latest} nor
     * {@code v<digits>} in any case, which name versions in {@code models:/} URIs.
     *
     * @throws InvalidInputException if it is null or breaks that rule
     */
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

    /**
     * A description: valid Unicode, at most {@value #MAX_DESCRIPTION} characters; null reads as empty.
     *
     * @throws InvalidInputException if it breaks that rule
     */
    public static String description(String description) {
        String text = InputRules.text("description", description == null ? "" : description);
        if (text.length() > MAX_DESCRIPTION) {
            throw new InvalidInputException("description is " + text.length() + " characters long; the limit is "
                    + MAX_DESCRIPTION);
        }
        return text;
    }
}
