package dev.runlog.tracking.internal.search;

import dev.runlog.tracking.InvalidFilterException;
import dev.runlog.tracking.spi.InputRules;
import dev.runlog.tracking.internal.search.Lexer.Token;
import dev.runlog.tracking.internal.search.Lexer.Type;
import dev.runlog.tracking.spi.SearchField;
import dev.runlog.tracking.spi.SearchField.Kind;
import dev.runlog.tracking.spi.SearchFilter;
import dev.runlog.tracking.spi.SearchFilter.Op;
import dev.runlog.tracking.spi.SearchOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parses MLflow's search grammar, plus OR, NOT and parentheses:
 *
 * <pre>
 * filter     := or
 * or         := and ( OR and )*
 * and        := unary ( AND unary )*
 * unary      := NOT unary | '(' or ')' | condition
 * condition  := field ( comparator value | IS [NOT] NULL | [NOT] IN '(' value (',' value)* ')' )
 * field      := prefix '.' key | attribute
 * key        := name ('.' name)* | `quoted` | "quoted"
 * </pre>
 *
 * Each rule checks what may be compared with what, so a store receives only well-typed trees.
 *
 * <p>Four limits keep every filter answerable by every store, the same way: at most
 * {@value #MAX_NESTING} levels of parentheses and {@code NOT} (deeper would overflow the parser's
 * stack and a store's expression depth), at most {@value #MAX_COMPARISONS} conditions (a
 * comparison, {@code IS NULL} or {@code IN} each count as one) and at most {@value #MAX_IN_VALUES}
 * values in all its {@code IN} lists together (more would exceed what one SQL statement may hold),
 * and {@code LIKE} and {@code ILIKE} patterns of at most {@value #MAX_PATTERN_LENGTH} characters
 * (SQLite refuses a pattern over 50,000 bytes, which a longer one could reach once escaped and
 * encoded; stored text is at most 8,000 characters). A filter over a limit is an {@link InvalidFilterException} naming it.
 */
public final class FilterParser {
    /** The deepest nesting of parentheses and {@code NOT} a filter may have. */
    public static final int MAX_NESTING = 100;
    /** The most conditions (comparison, {@code IS NULL}, {@code IN}) a filter may hold. */
    public static final int MAX_COMPARISONS = 2_000;
    /** The most values all {@code IN} lists of a filter may hold together. */
    public static final int MAX_IN_VALUES = 50_000;
    /** The most characters a {@code LIKE} or {@code ILIKE} pattern may have. */
    public static final int MAX_PATTERN_LENGTH = 10_000;
    /** The most order-by clauses a search may have (each one a join in a SQL store, which SQLite caps at 64). */
    public static final int MAX_ORDER_CLAUSES = 20;
    private static final Map<String, Kind> RUN_PREFIXES = Map.ofEntries(
            Map.entry("metric", Kind.METRIC), Map.entry("metrics", Kind.METRIC),
            Map.entry("param", Kind.PARAM), Map.entry("params", Kind.PARAM),
            Map.entry("parameter", Kind.PARAM), Map.entry("parameters", Kind.PARAM),
            Map.entry("tag", Kind.TAG), Map.entry("tags", Kind.TAG),
            Map.entry("attribute", Kind.ATTRIBUTE), Map.entry("attributes", Kind.ATTRIBUTE),
            Map.entry("attr", Kind.ATTRIBUTE), Map.entry("run", Kind.ATTRIBUTE),
            Map.entry("dataset", Kind.DATASET), Map.entry("datasets", Kind.DATASET));
    private static final Map<String, Kind> TAG_PREFIXES = Map.of(
            "tag", Kind.TAG, "tags", Kind.TAG,
            "attribute", Kind.ATTRIBUTE, "attributes", Kind.ATTRIBUTE, "attr", Kind.ATTRIBUTE);
    private static final Set<String> DATASET_FIELDS = Set.of("name", "digest", "context");
    private static final Set<String> KEYWORDS = Set.of("AND", "OR", "NOT", "IN", "IS", "NULL", "LIKE", "ILIKE", "ASC", "DESC");

    /**
     * Which entity a filter is about, and so which fields it may name. Registered models and model
     * versions are searched by the model registry with the same grammar.
     */
    public enum Target {
        // MLflow's other spellings of run_name ("Run name", "Run Name", "run name": case is ignored here).
        RUNS(RUN_PREFIXES, Map.of("created", "start_time", "run name", "run_name"),
                Set.of("run_id", "run_name", "status", "user_id", "artifact_uri", "start_time", "end_time"),
                "run attributes are run_id, run_name, status, user_id, start_time (or created), end_time and artifact_uri",
                "metrics, params, tags, attributes, datasets", "metrics.accuracy, params.lr or attributes.status"),
        EXPERIMENTS(TAG_PREFIXES, Map.of(), Set.of("name", "experiment_id", "creation_time", "last_update_time"),
                "experiment attributes are name, experiment_id, creation_time and last_update_time",
                "tags, attributes", "name or tags.team"),
        MODELS(TAG_PREFIXES, Map.of(), Set.of("name", "creation_time", "last_update_time"),
                "registered model attributes are name, creation_time and last_update_time",
                "tags, attributes", "name or tags.team"),
        VERSIONS(TAG_PREFIXES,
                Map.of("version_number", "version", "current_stage", "stage", "source_path", "source"),
                Set.of("name", "version", "run_id", "source", "stage", "user_id", "creation_time", "last_update_time"),
                "model version attributes are name, version (or version_number), run_id, source, stage"
                        + " (or current_stage), user_id, creation_time and last_update_time",
                "tags, attributes", "name, version or tags.validated");

        private final Map<String, Kind> prefixes;
        private final Map<String, String> synonyms;
        private final Set<String> attributes;
        private final String attributeList;
        private final String prefixList;
        private final String example;

        Target(Map<String, Kind> prefixes, Map<String, String> synonyms, Set<String> attributes,
               String attributeList, String prefixList, String example) {
            this.prefixes = prefixes;
            this.synonyms = synonyms;
            this.attributes = attributes;
            this.attributeList = attributeList;
            this.prefixList = prefixList;
            this.example = example;
        }
    }

    private final String text;
    private final Target target;
    private final List<Token> tokens;
    private int position;
    private int depth;
    private int comparisons;
    private int inValues;

    private FilterParser(String text, Target target) {
        int surrogate = InputRules.unpairedSurrogate(text);
        if (surrogate >= 0) {
            // Checked before anything else: a store could not compare such text the way it was written.
            throw new InvalidFilterException(text.replace(text.charAt(surrogate), '?'), surrogate + 1,
                    "filter text must be valid Unicode but holds an unpaired UTF-16 surrogate");
        }
        int nul = text.indexOf('\u0000');
        if (nul >= 0) {
            // No stored text holds NUL, and SQLite's LIKE would read a pattern only up to it.
            throw new InvalidFilterException(text.replace('\u0000', '?'), nul + 1,
                    "filter text may not hold a NUL character (U+0000), which no stored text holds");
        }
        this.text = text;
        this.target = target;
        this.tokens = Lexer.tokenize(text);
    }

    /** Parses a filter; null or blank text matches everything. */
    public static SearchFilter parseFilter(String text, Target target) {
        if (text == null || text.isBlank()) {
            return new SearchFilter.All();
        }
        FilterParser parser = new FilterParser(text, target);
        SearchFilter filter = parser.or();
        Token next = parser.peek();
        if (next.type() != Type.END) {
            throw parser.error(next, "expected AND, OR or the end of the filter", next);
        }
        return filter;
    }

    /**
     * Parses one order-by clause: {@code field [ASC|DESC]}, such as {@code "metrics.accuracy DESC"}
     * or {@code "start_time"}. Dataset fields cannot order runs.
     */
    public static SearchOrder parseOrder(String clause, Target target) {
        if (clause == null || clause.isBlank()) {
            throw new InvalidFilterException(String.valueOf(clause), 1, "expected a field to order by");
        }
        FilterParser parser = new FilterParser(clause, target);
        Token start = parser.peek();
        SearchField field = parser.wholeQuotedField().orElseGet(parser::field);
        if (field.kind() == Kind.DATASET) {
            throw parser.error(start, "cannot order by dataset field '" + field.key() + "'");
        }
        boolean ascending = true;
        Token direction = parser.peek();
        if (direction.isWord("ASC") || direction.isWord("DESC")) {
            ascending = direction.isWord("ASC");
            parser.position++;
        }
        Token end = parser.peek();
        if (end.type() != Type.END) {
            throw parser.error(end, "expected ASC, DESC or the end of the order clause", end);
        }
        return new SearchOrder(field, ascending);
    }

    private SearchFilter or() {
        List<SearchFilter> operands = new ArrayList<>();
        operands.add(and());
        while (peek().isWord("OR")) {
            position++;
            operands.add(and());
        }
        return operands.size() == 1 ? operands.get(0) : new SearchFilter.Or(operands);
    }

    private SearchFilter and() {
        List<SearchFilter> operands = new ArrayList<>();
        operands.add(unary());
        while (peek().isWord("AND")) {
            position++;
            operands.add(unary());
        }
        return operands.size() == 1 ? operands.get(0) : new SearchFilter.And(operands);
    }

    private SearchFilter unary() {
        Token token = peek();
        if (token.isWord("NOT") || token.type() == Type.LPAREN) {
            // Recursion is bounded here, so that hostile nesting is an error, not a StackOverflowError.
            if (++depth > MAX_NESTING) {
                throw error(token, "the filter nests parentheses and NOT more than " + MAX_NESTING
                        + " levels deep, the limit");
            }
            try {
                return nested(token);
            } finally {
                depth--;
            }
        }
        return condition();
    }

    private SearchFilter nested(Token token) {
        position++;
        if (token.isWord("NOT")) {
            return new SearchFilter.Not(unary());
        }
        SearchFilter inner = or();
        Token close = peek();
        if (close.type() != Type.RPAREN) {
            throw error(close, "expected ')' to close the parenthesis opened in column " + token.column(), close);
        }
        position++;
        return inner;
    }

    /** Counts conditions as they are parsed, failing at the first one over the limit. */
    private void countCondition(Token at) {
        if (++comparisons > MAX_COMPARISONS) {
            throw error(at, "the filter holds more than " + MAX_COMPARISONS + " conditions, the limit");
        }
    }

    private SearchFilter condition() {
        Token start = peek();
        countCondition(start);
        SearchField field = field();
        String name = text.substring(start.column() - 1, peek().column() - 1).strip();
        Token op = peek();
        if (op.isWord("IS")) {
            position++;
            boolean negated = false;
            if (peek().isWord("NOT")) {
                negated = true;
                position++;
            }
            Token nullToken = peek();
            if (!nullToken.isWord("NULL")) {
                throw error(nullToken, "expected NULL after '" + name + " IS" + (negated ? " NOT" : "") + "'", nullToken);
            }
            position++;
            if (field.kind() == Kind.ATTRIBUTE || field.kind() == Kind.DATASET) {
                throw error(op, "IS NULL applies to metrics, params and tags, not to '" + name + "'");
            }
            return new SearchFilter.IsNull(field, negated);
        }
        boolean notIn = false;
        if (op.isWord("NOT")) {
            Token in = tokens.get(position + 1);
            if (!in.isWord("IN")) {
                throw error(in, "expected IN after '" + name + " NOT'", in);
            }
            notIn = true;
            position++;
            op = peek();
        }
        if (op.isWord("IN")) {
            position++;
            if (field.isNumeric()) {
                throw error(op, "IN applies to string fields; '" + name + "' is numeric");
            }
            return new SearchFilter.In(field, stringList(name), notIn);
        }
        Op comparator = comparator(op);
        if (comparator == null) {
            throw error(op, "expected a comparator after '" + name + "'", op);
        }
        position++;
        Token value = peek();
        if (field.isNumeric()) {
            if (comparator == Op.LIKE || comparator == Op.ILIKE) {
                throw error(op, comparator.symbol() + " does not apply to '" + name
                        + "', which is numeric; use = != < <= > >=");
            }
            if (value.type() != Type.NUMBER) {
                throw error(value, "expected a number after '" + name + " " + op.text() + "'", value);
            }
            position++;
            return new SearchFilter.Compare(field, comparator, Double.valueOf(value.text()));
        }
        if (comparator != Op.EQ && comparator != Op.NE && comparator != Op.LIKE && comparator != Op.ILIKE) {
            throw error(op, "'" + op.text() + "' does not apply to '" + name + "', which is a string; use = != LIKE ILIKE");
        }
        if (value.type() != Type.SINGLE_QUOTED && value.type() != Type.DOUBLE_QUOTED) {
            throw error(value, "expected a quoted string after '" + name + " " + op.text() + "'", value);
        }
        // Characters as a person counts them (code points: an emoji is one), at most 4 UTF-8 bytes each.
        int characters = value.text().codePointCount(0, value.text().length());
        if ((comparator == Op.LIKE || comparator == Op.ILIKE) && characters > MAX_PATTERN_LENGTH) {
            throw error(value, "the " + comparator.symbol() + " pattern after '" + name + "' has " + characters
                    + " characters; the limit is " + MAX_PATTERN_LENGTH);
        }
        position++;
        return new SearchFilter.Compare(field, comparator, value.text());
    }

    private List<String> stringList(String name) {
        Token open = peek();
        if (open.type() != Type.LPAREN) {
            throw error(open, "expected '(' after '" + name + " IN'", open);
        }
        position++;
        List<String> values = new ArrayList<>();
        while (true) {
            Token value = peek();
            if (value.type() != Type.SINGLE_QUOTED && value.type() != Type.DOUBLE_QUOTED) {
                throw error(value, "expected a quoted string in the IN list of '" + name + "'", value);
            }
            values.add(value.text());
            if (++inValues > MAX_IN_VALUES) {
                throw error(value, "the filter's IN lists hold more than " + MAX_IN_VALUES + " values together, the limit");
            }
            position++;
            Token next = peek();
            if (next.type() == Type.RPAREN) {
                position++;
                return values;
            }
            if (next.type() != Type.COMMA) {
                throw error(next, "expected ',' or ')' in the IN list of '" + name + "'", next);
            }
            position++;
        }
    }

    private static Op comparator(Token token) {
        if (token.type() == Type.OPERATOR) {
            return switch (token.text()) {
                case "=", "==" -> Op.EQ;
                case "!=", "<>" -> Op.NE;
                case "<" -> Op.LT;
                case "<=" -> Op.LE;
                case ">" -> Op.GT;
                case ">=" -> Op.GE;
                default -> null;
            };
        }
        if (token.isWord("LIKE")) {
            return Op.LIKE;
        }
        if (token.isWord("ILIKE")) {
            return Op.ILIKE;
        }
        return null;
    }

    private SearchField field() {
        Token first = peek();
        if ((first.type() != Type.WORD && first.type() != Type.BACKTICK && first.type() != Type.DOUBLE_QUOTED)
                || (first.type() == Type.WORD && KEYWORDS.contains(first.text().toUpperCase(Locale.ROOT)))) {
            throw error(first, "expected a field such as " + example(), first);
        }
        position++;
        if (peek().type() != Type.DOT) {
            // A bare name is an attribute: start_time, status, name...
            return attribute(first, first.text());
        }
        Kind kind = first.type() == Type.WORD ? target.prefixes.get(first.text().toLowerCase(Locale.ROOT)) : null;
        if (kind == null) {
            throw error(first, "unknown prefix '" + first.text() + "'; expected one of " + target.prefixList);
        }
        position++; // the dot
        String key = key(first.text());
        if (kind == Kind.ATTRIBUTE) {
            return attribute(first, key);
        }
        if (kind == Kind.DATASET && !DATASET_FIELDS.contains(key)) {
            throw error(first, "unknown dataset field '" + key + "'; dataset fields are name, digest and context");
        }
        return new SearchField(kind, key);
    }

    /**
     * An order key quoted whole, prefix and all ({@code `metrics.val loss`}), read as MLflow reads
     * one (it unquotes an order clause before splitting prefix from key); empty unless the quoted
     * text starts with a known prefix and a dot. Filters do not take this form, in MLflow neither.
     */
    private Optional<SearchField> wholeQuotedField() {
        Token first = peek();
        if ((first.type() != Type.BACKTICK && first.type() != Type.DOUBLE_QUOTED)
                || tokens.get(position + 1).type() == Type.DOT) {
            return Optional.empty();
        }
        int dot = first.text().indexOf('.');
        Kind kind = dot < 0 ? null : target.prefixes.get(first.text().substring(0, dot).toLowerCase(Locale.ROOT));
        if (kind == null) {
            return Optional.empty();
        }
        String key = first.text().substring(dot + 1);
        if (key.isEmpty()) {
            throw error(first, "expected a key after '" + first.text() + "'");
        }
        position++;
        return Optional.of(kind == Kind.ATTRIBUTE ? attribute(first, key) : new SearchField(kind, key));
    }

    private String key(String prefix) {
        Token token = peek();
        if (token.type() == Type.BACKTICK || token.type() == Type.DOUBLE_QUOTED) {
            position++;
            if (token.text().isEmpty()) {
                throw error(token, "expected a key after '" + prefix + ".' but found an empty quoted key");
            }
            return token.text();
        }
        if (token.type() != Type.WORD) {
            throw error(token, "expected a key after '" + prefix + ".'", token);
        }
        StringBuilder key = new StringBuilder(token.text());
        position++;
        // tags.runlog.user: later dots belong to the key, as long as no space breaks them up.
        while (peek().type() == Type.DOT && tokens.get(position + 1).type() == Type.WORD
                && tokens.get(position + 1).column() == peek().column() + 1) {
            key.append('.').append(tokens.get(position + 1).text());
            position += 2;
        }
        return key.toString();
    }

    private SearchField attribute(Token at, String name) {
        String key = name.toLowerCase(Locale.ROOT);
        key = target.synonyms.getOrDefault(key, key);
        if (target.attributes.contains(key)) {
            return new SearchField(Kind.ATTRIBUTE, key);
        }
        throw error(at, "unknown attribute '" + name + "'; " + target.attributeList);
    }

    private String example() {
        return target.example;
    }

    private Token peek() {
        return tokens.get(position);
    }

    private InvalidFilterException error(Token at, String problem) {
        return new InvalidFilterException(text, at.column(), problem, null);
    }

    /** An error that also says what stood where something else was expected. */
    private InvalidFilterException error(Token at, String expected, Token found) {
        return new InvalidFilterException(text, at.column(), expected, found.describe());
    }
}
