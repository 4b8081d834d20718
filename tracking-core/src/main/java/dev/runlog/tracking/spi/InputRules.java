package dev.runlog.tracking.spi;

import dev.runlog.tracking.InvalidInputException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rules Runlog applies to what callers give it: keys, values, names, run ids, valid Unicode,
 * nulls. The tracker checks them before anything reaches a store, so a store may rely on them; an
 * extension that stores user input beside the tracking data (the model registry) checks its input
 * here too, so that it refuses the same input with the same message. Each check returns its
 * argument, for chaining, or throws an {@link InvalidInputException} that names the argument and
 * the rule it breaks.
 */
public final class InputRules {
    /** The longest param, metric or tag key, in characters. */
    public static final int MAX_KEY_LENGTH = 250;
    /** The longest param value, in characters. */
    public static final int MAX_PARAM_VALUE_LENGTH = 6000;
    /** The longest tag value, in characters. */
    public static final int MAX_TAG_VALUE_LENGTH = 8000;
    /** The longest experiment or run name, in characters. */
    public static final int MAX_NAME_LENGTH = 250;

    /*
     * logMetric checks its key on every call; training loops use a handful of keys, so remembering
     * the valid ones turns the check into one hash lookup. Bounded so that a caller generating
     * unique keys cannot grow it without limit.
     */
    private static final int KNOWN_KEYS_LIMIT = 4096;
    private static final Set<String> KNOWN_VALID_KEYS = ConcurrentHashMap.newKeySet();

    private InputRules() {
    }

    /** Checks a param, metric or tag key; {@code kind} ("param", "metric", "tag") names it in errors. */
    public static String key(String kind, String key) {
        if (key != null && KNOWN_VALID_KEYS.contains(key)) {
            return key;
        }
        checkKey(kind, key);
        if (KNOWN_VALID_KEYS.size() < KNOWN_KEYS_LIMIT) {
            KNOWN_VALID_KEYS.add(key);
        }
        return key;
    }

    private static void checkKey(String kind, String key) {
        if (key == null) {
            throw new InvalidInputException(kind + " key must not be null");
        }
        text(kind + " key", key);
        if (key.isEmpty()) {
            throw new InvalidInputException(kind + " key must not be empty");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw new InvalidInputException(kind + " key '" + abbreviate(key) + "' is " + key.length()
                    + " characters long; the limit is " + MAX_KEY_LENGTH);
        }
        for (int i = 0; i < key.length(); ) {
            int cp = key.codePointAt(i);
            if (!(Character.isLetterOrDigit(cp) || cp == '_' || cp == '-' || cp == '.' || cp == '/' || cp == ' ')) {
                throw new InvalidInputException(kind + " key '" + key + "' has the character '"
                        + new String(Character.toChars(cp)) + "' at position " + i
                        + "; keys may hold only letters, digits, '_', '-', '.', '/' and spaces");
            }
            i += Character.charCount(cp);
        }
        if (key.charAt(0) == '/') {
            throw new InvalidInputException(kind + " key '" + key + "' starts with '/'; keys are relative");
        }
        int start = 0;
        while (start <= key.length()) {
            int end = key.indexOf('/', start);
            if (end < 0) {
                end = key.length();
            }
            String segment = key.substring(start, end);
            if (segment.isEmpty()) {
                throw new InvalidInputException(kind + " key '" + key + "' has an empty segment at position " + start);
            }
            if (segment.equals(".") || segment.equals("..")) {
                throw new InvalidInputException(kind + " key '" + key + "' has a '" + segment
                        + "' segment at position " + start + "; keys may not hold '.' or '..' segments");
            }
            start = end + 1;
        }
    }

    /** Checks a param value: present, valid Unicode, at most {@value #MAX_PARAM_VALUE_LENGTH} characters. */
    public static String paramValue(String key, String value) {
        if (value == null) {
            throw new InvalidInputException("value of param '" + key + "' must not be null");
        }
        text("value of param '" + key + "'", value);
        if (value.length() > MAX_PARAM_VALUE_LENGTH) {
            throw new InvalidInputException("value of param '" + key + "' is " + value.length()
                    + " characters long; the limit is " + MAX_PARAM_VALUE_LENGTH);
        }
        return value;
    }

    /** Checks a tag value: present, valid Unicode, at most {@value #MAX_TAG_VALUE_LENGTH} characters. */
    public static String tagValue(String key, String value) {
        if (value == null) {
            throw new InvalidInputException("value of tag '" + key + "' must not be null");
        }
        text("value of tag '" + key + "'", value);
        if (value.length() > MAX_TAG_VALUE_LENGTH) {
            throw new InvalidInputException("value of tag '" + key + "' is " + value.length()
                    + " characters long; the limit is " + MAX_TAG_VALUE_LENGTH);
        }
        return value;
    }

    /** Checks every tag of a map, returning it for chaining. */
    public static Map<String, String> tags(Map<String, String> tags) {
        if (tags == null) {
            throw new InvalidInputException("tags must not be null");
        }
        tags.forEach((k, v) -> tagValue(key("tag", k), v));
        return tags;
    }

    /** Checks an experiment or run name: present, not blank, at most 250 characters. */
    public static String name(String kind, String name) {
        if (name == null) {
            throw new InvalidInputException(kind + " name must not be null");
        }
        text(kind + " name", name);
        if (name.isBlank()) {
            throw new InvalidInputException(kind + " name must not be blank");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new InvalidInputException(kind + " name '" + abbreviate(name) + "' is " + name.length()
                    + " characters long; the limit is " + MAX_NAME_LENGTH);
        }
        return name;
    }

    /** Checks that a run id has the shape every Runlog run id has: 32 lowercase hex characters. */
    public static String runId(String runId) {
        if (runId == null) {
            throw new InvalidInputException("run id must not be null");
        }
        if (runId.length() != 32 || !runId.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new InvalidInputException("run id '" + abbreviate(runId)
                    + "' is malformed; run ids are 32 lowercase hex characters");
        }
        return runId;
    }

    /**
     * Checks that {@code value} is valid Unicode ({@link #unicode}) and holds no NUL (U+0000), which
     * PostgreSQL cannot keep in text and SQLite's {@code LIKE} stops reading at: every store must
     * keep and match it alike. Every user string that is stored as a field passes here. Null
     * passes; callers that refuse null check it themselves.
     *
     * @param what names the value in the error, such as {@code "experiment name"}
     * @return {@code value}
     * @throws InvalidInputException naming {@code what} and the position of the surrogate or NUL
     */
    public static String text(String what, String value) {
        unicode(what, value);
        int nul = value == null ? -1 : value.indexOf('\u0000');
        if (nul >= 0) {
            throw new InvalidInputException(what + " '" + abbreviate(printable(value).replace('\u0000', '?'))
                    + "' holds a NUL character (U+0000) at position " + nul + "; stored text may not");
        }
        return value;
    }

    /**
     * Checks that {@code value} is valid Unicode: no unpaired UTF-16 surrogate, which no store can
     * keep (SQLite would turn it into '?', merging distinct names) and UTF-8 cannot encode. For text
     * kept as bytes (an artifact's), where NUL is data; fields go through {@link #text}.
     *
     * @return {@code value}
     * @throws InvalidInputException naming {@code what} and the position of the surrogate
     */
    public static String unicode(String what, String value) {
        int bad = unpairedSurrogate(value);
        if (bad >= 0) {
            throw new InvalidInputException(what + " '" + abbreviate(printable(value)) + "' holds an unpaired UTF-16 surrogate "
                    + String.format("\\u%04X", (int) value.charAt(bad)) + " at position " + bad
                    + "; text must be valid Unicode");
        }
        return value;
    }

    /** The index of the first unpaired surrogate of {@code value}, or -1 if there is none (or it is null). */
    public static int unpairedSurrogate(String value) {
        if (value == null) {
            return -1;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** The value with its unpaired surrogates shown as '?', so that an error message is itself valid text. */
    private static String printable(String value) {
        StringBuilder sb = new StringBuilder(value);
        for (int i = unpairedSurrogate(sb.toString()); i >= 0; i = unpairedSurrogate(sb.toString())) {
            sb.setCharAt(i, '?');
        }
        return sb.toString();
    }

    /** Checks that {@code value} is there; the error reads "{@code what} must not be null". */
    public static <T> T notNull(String what, T value) {
        if (value == null) {
            throw new InvalidInputException(what + " must not be null");
        }
        return value;
    }

    static String abbreviate(String s) {
        if (s.length() <= 60) {
            return s;
        }
        // Never between the two halves of a surrogate pair: the message would hold a lone one.
        int end = Character.isHighSurrogate(s.charAt(56)) ? 56 : 57;
        return s.substring(0, end) + "...";
    }

    /**
     * {@code uri} as {@link #hideCredentials} shows it, with the value of every option after its
     * {@code ?} shown as {@code (hidden)} too: for a message about an option the store does not
     * know, which may be a secret misspelt or misplaced.
     * <pre>{@code
     * hideOptionValues("sqlite:runs.db?pwd=hunter2&synchronous=full")   // "sqlite:runs.db?pwd=(hidden)&synchronous=(hidden)"
     * }</pre>
     */
    public static String hideOptionValues(String uri) {
        if (uri == null) {
            return null;
        }
        int query = uri.indexOf('?');
        return query < 0 ? hideCredentials(uri)
                : hideCredentials(uri.substring(0, query)) + uri.substring(query).replaceAll("=[^&#]*", "=(hidden)");
    }

    /**
     * {@code text} (a URI, or a message quoting one) with whatever sits between {@code //} and an
     * {@code @} shown as {@code (credentials hidden)}, and the value of any option whose name ends
     * in {@code password}, {@code passwd}, {@code secret}, {@code token} or {@code key} (such as
     * {@code sslpassword}, {@code aws_secret}) as {@code (hidden)}: a store's messages quote the
     * URI they were given, and a user may have written {@code user:secret@} or a secret option into
     * it, where no secret belongs.
     * <pre>{@code
     * hideCredentials("s3://KEY:SECRET@bucket/p")   // "s3://(credentials hidden)@bucket/p"
     * hideCredentials("postgresql://db/r?sslpassword=x")   // "postgresql://db/r?sslpassword=(hidden)"
     * }</pre>
     */
    public static String hideCredentials(String text) {
        return text == null ? null : text.replaceAll("//[^\\s&?#'\"]*@", "//(credentials hidden)@")
                // user:secret@host written without the //, as when a URI's scheme was left out.
                .replaceAll("(?<![\\w.+-])[\\w.+-]+:[^\\s/@&?#'\"]+@", "(credentials hidden)@")
                // The same written %-encoded, as an option's value may be (%2F%2F user:secret %40).
                .replaceAll("(?i)%2F%2F[^\\s&?#'\"/]*%40", "%2F%2F(credentials hidden)%40")
                .replaceAll("(?i)(\\b[\\w.-]*(?:password|passwd|secret|token|key)=)[^\\s&#'\"]*", "$1(hidden)");
    }
}
