package dev.runlog.mlflow.internal;

import dev.runlog.tracking.InvalidInputException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A strict reader of the YAML subset MLflow's file store writes into {@code meta.yaml} files
 * ({@code yaml.safe_dump} of a flat dictionary): one {@code key: scalar} per line, scalars plain,
 * single- or double-quoted, folded onto indented continuation lines when long, and {@code []},
 * {@code {}} or an indented block for the few collection fields, which are kept as unreadable. No
 * YAML library: anything outside this subset (tabs, anchors, tags, documents, a key twice, an
 * unterminated quote, a file over 1 MiB) is refused with an exception naming the file and line, so
 * a hostile or damaged store cannot make the import guess.
 */
public final class FlatYaml {
    static final int MAX_BYTES = 1 << 20;
    /** The value of a key whose value is a collection: present, but not a scalar. */
    private static final String COLLECTION = new String("<collection>");

    private final Path file;
    private final Map<String, String> values;
    /** The indented lines of each block value, with their line numbers, for {@link #mapping}. */
    private final Map<String, List<Line>> blocks;

    private record Line(int number, String text) {
    }

    private FlatYaml(Path file, Map<String, String> values, Map<String, List<Line>> blocks) {
        this.file = file;
        this.values = values;
        this.blocks = blocks;
    }

    /** Reads {@code file}; an {@link InvalidInputException} names it and the line when it is outside the subset. */
    public static FlatYaml read(Path file) {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new InvalidInputException(file + " is larger than " + MAX_BYTES + " bytes; MLflow's meta.yaml files are small");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidInputException("Cannot read " + file + ": " + e.getMessage());
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInputException(file + " is not UTF-8 text");
        }
        return parse(file, text);
    }

    static FlatYaml parse(Path file, String text) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, List<Line>> blocks = new LinkedHashMap<>();
        String[] lines = text.split("\r?\n", -1);
        int i = 0;
        while (i < lines.length) {
            String line = lines[i];
            int number = i + 1;
            i++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (line.indexOf('\t') >= 0) {
                throw error(file, number, "has a tab character");
            }
            if (line.startsWith("---") || line.startsWith("...") || line.startsWith("%")) {
                throw error(file, number, "starts a YAML document or directive; meta.yaml is one flat mapping");
            }
            if (line.startsWith(" ") || line.startsWith("-")) {
                throw error(file, number, "is indented where a key was expected");
            }
            int colon = line.indexOf(": ");
            String key;
            String rest;
            if (colon < 0 && line.endsWith(":")) {
                key = line.substring(0, line.length() - 1);
                rest = "";
            } else if (colon > 0) {
                key = line.substring(0, colon);
                rest = yamlStrip(line.substring(colon + 2));
            } else {
                throw error(file, number, "is not 'key: value'");
            }
            if (!key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw error(file, number, "has key '" + abbreviate(key) + "', not a plain name");
            }
            if (values.containsKey(key)) {
                throw error(file, number, "gives key '" + key + "' a second time");
            }
            if ((rest.startsWith("'") || rest.startsWith("\"")) && !closes(rest, 1, rest.charAt(0))) {
                // A quoted value over several lines, as PyYAML writes a long one or one with line breaks.
                List<String> raw = new ArrayList<>(List.of(rest));
                char quote = rest.charAt(0);
                boolean closed = false;
                while (!closed && i < lines.length) {
                    if (lines[i].indexOf('\t') >= 0) {
                        throw error(file, i + 1, "has a tab character");
                    }
                    String next = lines[i];
                    if (!yamlStrip(next).isEmpty() && !next.startsWith(" ") && !isBreak(next.charAt(0))) {
                        break; // the next key: the quote was never closed
                    }
                    raw.add(lines[i]);
                    closed = closes(lines[i], 0, quote);
                    i++;
                }
                if (!closed) {
                    throw error(file, number, quote == '\'' ? "has an unterminated or malformed single-quoted string"
                            : "has an unterminated double-quoted string");
                }
                values.put(key, quoted(file, number, String.join("\n", raw)));
                continue;
            }
            // Continuation lines: indented (or list items of a block value) up to the next key.
            StringBuilder continued = new StringBuilder();
            List<Line> blockLines = new ArrayList<>();
            boolean block = false;
            while (i < lines.length && !lines[i].isEmpty() && (lines[i].startsWith(" ") || lines[i].startsWith("- "))) {
                if (lines[i].indexOf('\t') >= 0) {
                    throw error(file, i + 1, "has a tab character");
                }
                block |= lines[i].startsWith("- ") || lines[i].strip().startsWith("- ") || lines[i].contains(": ");
                continued.append(' ').append(yamlStrip(lines[i]));
                blockLines.add(new Line(i + 1, lines[i]));
                i++;
            }
            String value;
            if (rest.isEmpty() && continued.length() > 0 && block) {
                value = COLLECTION;
                blocks.put(key, blockLines);
            } else if (rest.equals("[]") || rest.equals("{}")) {
                value = COLLECTION;
            } else {
                value = scalar(file, number, yamlStrip(rest + continued));
            }
            values.put(key, value);
        }
        return new FlatYaml(file, values, blocks);
    }

    /**
     * Whether a quoted scalar opened before {@code from} closes in {@code text}: at a {@code '} not
     * doubled, or a {@code "} not escaped.
     */
    private static boolean closes(String text, int from, char quote) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote == '"' && c == '\\') {
                i++;
            } else if (c == quote) {
                if (quote == '\'' && i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                    i++;
                } else {
                    return true;
                }
            }
        }
        return false;
    }

    private static String scalar(Path file, int line, String text) {
        if (text.isEmpty() || text.equals("null") || text.equals("~")) {
            return null;
        }
        char first = text.charAt(0);
        if (first == '\'' || first == '"') {
            return quoted(file, line, text);
        }
        if ("&*!|>[{@`%".indexOf(first) >= 0) {
            throw error(file, line, "uses YAML beyond MLflow's flat subset ('" + first + "')");
        }
        if (text.contains(" #")) {
            // YAML reads the rest as a comment; PyYAML quotes a value holding " #", so MLflow never wrote this.
            throw error(file, line, "has a comment after its value, which MLflow's meta.yaml files never hold");
        }
        return text;
    }

    /**
     * {@code text} without the spaces and tabs around it: YAML's white space, not Java's (U+3000 is
     * text), the same two characters a CSV cell is trimmed of.
     */
    private static String yamlStrip(String text) {
        return dev.runlog.tracking.spi.CsvCells.trim(text);
    }

    /** YAML's line breaks as PyYAML reads them: MLflow writes with {@code allow_unicode}, so NEL, LS and PS appear raw. */
    private static boolean isBreak(char c) {
        return c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029';
    }

    /**
     * A single- or double-quoted scalar, perhaps over several lines ({@code text} holds them joined
     * by line breaks), read as PyYAML reads one: a line break between two lines is a space, each
     * empty line between them a line break (LS and PS kept as themselves), spaces and tabs around a
     * break dropped; {@code ''} is a quote in single quotes; in double quotes, YAML's escapes, and a
     * {@code \} before a line break joins the lines with nothing between.
     */
    private static String quoted(Path file, int line, String text) {
        char quote = text.charAt(0);
        boolean single = quote == '\'';
        StringBuilder out = new StringBuilder();
        int i = 1;
        while (true) {
            if (i >= text.length()) {
                throw error(file, line, single ? "has an unterminated or malformed single-quoted string"
                        : "has an unterminated double-quoted string");
            }
            char c = text.charAt(i);
            if (single && c == '\'' && i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                out.append('\'');
                i += 2;
            } else if (c == quote) {
                if (!text.substring(i + 1).isBlank()) {
                    throw error(file, line, single ? "has an unterminated or malformed single-quoted string"
                            : "has text after a double-quoted string");
                }
                return out.toString();
            } else if (!single && c == '\\') {
                i = escape(file, line, text, i + 1, out);
            } else if (c == ' ' || c == '\t' || isBreak(c)) {
                int end = i;
                while (end < text.length() && (text.charAt(end) == ' ' || text.charAt(end) == '\t')) {
                    end++;
                }
                if (end < text.length() && isBreak(text.charAt(end))) {
                    i = lineBreaks(text, end, out, true);
                } else {
                    out.append(text, i, end);
                    i = end;
                }
            } else {
                out.append(c);
                i++;
            }
        }
    }

    /**
     * Reads the line break at {@code at} and the empty lines after it, appending what they fold to
     * (a space for a lone break when {@code folds}); returns the index after the next line's indentation.
     */
    private static int lineBreaks(String text, int at, StringBuilder out, boolean folds) {
        int i = at;
        char first = text.charAt(i);
        i += first == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n' ? 2 : 1;
        StringBuilder breaks = new StringBuilder();
        while (true) {
            while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
                i++;
            }
            if (i < text.length() && isBreak(text.charAt(i))) {
                char c = text.charAt(i);
                breaks.append(c == '\u2028' || c == '\u2029' ? c : '\n');
                i += c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n' ? 2 : 1;
            } else {
                break;
            }
        }
        if (first == '\u2028' || first == '\u2029') {
            out.append(first);
        } else if (breaks.isEmpty() && folds) {
            out.append(' ');
        }
        out.append(breaks);
        return i;
    }

    /** Reads the escape after a backslash at {@code at - 1} of a double-quoted scalar; returns the index after it. */
    private static int escape(Path file, int line, String text, int at, StringBuilder out) {
        if (at >= text.length()) {
            throw error(file, line, "has an unterminated double-quoted string");
        }
        char e = text.charAt(at);
        if (isBreak(e)) {
            return lineBreaks(text, at, out, false);
        }
        switch (e) {
            case 'n' -> out.append('\n');
            case 't', '\t' -> out.append('\t');
            case 'r' -> out.append('\r');
            case '0' -> out.append('\0');
            case 'a' -> out.append('\u0007');
            case 'b' -> out.append('\b');
            case 'e' -> out.append('\u001B');
            case 'f' -> out.append('\f');
            case 'v' -> out.append('\u000B');
            case 'N' -> out.append('\u0085');
            case '_' -> out.append('\u00A0');
            case 'L' -> out.append('\u2028');
            case 'P' -> out.append('\u2029');
            case '"', '\\', '/', ' ' -> out.append(e);
            case 'x', 'u', 'U' -> {
                int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                if (at + 1 + digits > text.length()) {
                    throw error(file, line, "has a truncated \\" + e + " escape");
                }
                try {
                    out.appendCodePoint(Integer.parseInt(text.substring(at + 1, at + 1 + digits), 16));
                } catch (IllegalArgumentException bad) {
                    throw error(file, line, "has a malformed \\" + e + " escape");
                }
                return at + 1 + digits;
            }
            default -> throw error(file, line, "has an unknown escape \\" + e);
        }
        return at + 1;
    }

    /** The scalar under {@code key}; empty when it is absent or null. */
    public Optional<String> get(String key) {
        String value = values.get(key);
        if (value == COLLECTION) {
            throw new InvalidInputException(file + ": '" + key + "' is a collection where a value was expected");
        }
        return Optional.ofNullable(value);
    }

    /**
     * The mapping of scalars under {@code key}, as {@code yaml.safe_dump} writes a flat dictionary
     * inside the flat one (an input's {@code tags}): {@code {}}, or one {@code name: scalar} per line
     * at one indent, a long scalar folded onto lines indented deeper. Empty when {@code key} is
     * absent or null; anything else (a list, a deeper mapping) is refused naming the file and line.
     */
    public Map<String, String> mapping(String key) {
        if (!values.containsKey(key) || values.get(key) == null) {
            return Map.of();
        }
        if (values.get(key) != COLLECTION) {
            throw new InvalidInputException(file + ": '" + key + "' is a value where a mapping was expected");
        }
        List<Line> lines = blocks.getOrDefault(key, List.of());
        Map<String, String> mapping = new LinkedHashMap<>();
        int indent = lines.isEmpty() ? 0 : lines.get(0).text().length() - lines.get(0).text().stripLeading().length();
        for (int n = 0; n < lines.size(); n++) {
            Line line = lines.get(n);
            String text = line.text().substring(Math.min(indent, line.text().length()));
            if (text.startsWith(" ") || text.startsWith("- ") || indent == 0) {
                throw error(file, line.number(), "is not 'name: value' inside '" + key + "'");
            }
            int colon = text.startsWith("'") || text.startsWith("\"") ? text.indexOf(text.charAt(0) + ": ", 1) + 1
                    : text.indexOf(": ");
            if (colon <= 0) {
                throw error(file, line.number(), "is not 'name: value' inside '" + key + "'");
            }
            String name = scalar(file, line.number(), text.substring(0, colon));
            StringBuilder value = new StringBuilder(text.substring(colon + 2).strip());
            while (n + 1 < lines.size() && lines.get(n + 1).text().startsWith(" ".repeat(indent + 1))) {
                value.append(' ').append(lines.get(++n).text().strip());
            }
            String scalar = scalar(file, line.number(), value.toString());
            if (name == null || mapping.put(name, scalar == null ? "" : scalar) != null) {
                throw error(file, line.number(), "gives a name twice or none inside '" + key + "'");
            }
        }
        return mapping;
    }

    /** The scalar under {@code key}, which must be there. */
    public String require(String key) {
        return get(key).orElseThrow(() -> new InvalidInputException(file + " has no '" + key + "'"));
    }

    /** The whole number under {@code key}, if present. */
    public Optional<Long> number(String key) {
        return get(key).map(text -> {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new InvalidInputException(file + ": '" + key + "' is '" + abbreviate(text) + "', not a whole number");
            }
        });
    }

    public Path file() {
        return file;
    }

    private static InvalidInputException error(Path file, int line, String problem) {
        return new InvalidInputException(file + " line " + line + " " + problem);
    }

    private static String abbreviate(String text) {
        return text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }
}
