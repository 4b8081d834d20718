package dev.runlog.tracking.internal.search;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.InvalidFilterException;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.internal.search.FilterParser.Target;
import dev.runlog.tracking.spi.SearchField;
import dev.runlog.tracking.spi.SearchField.Kind;
import dev.runlog.tracking.spi.SearchFilter;
import dev.runlog.tracking.spi.SearchFilter.And;
import dev.runlog.tracking.spi.SearchFilter.Compare;
import dev.runlog.tracking.spi.SearchFilter.In;
import dev.runlog.tracking.spi.SearchFilter.IsNull;
import dev.runlog.tracking.spi.SearchFilter.Not;
import dev.runlog.tracking.spi.SearchFilter.Op;
import dev.runlog.tracking.spi.SearchFilter.Or;
import dev.runlog.tracking.spi.SearchOrder;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The search grammar, rule by rule: the exact tree each filter and order clause parses to, and for
 * each mistake the {@link InvalidFilterException} with its column, what was expected and what was
 * found there.
 */
class FilterParserTest {

    // ---- builders -------------------------------------------------------------------------------

    private static SearchField metric(String key) {
        return new SearchField(Kind.METRIC, key);
    }

    private static SearchField param(String key) {
        return new SearchField(Kind.PARAM, key);
    }

    private static SearchField tag(String key) {
        return new SearchField(Kind.TAG, key);
    }

    private static SearchField attr(String key) {
        return new SearchField(Kind.ATTRIBUTE, key);
    }

    private static SearchField dataset(String key) {
        return new SearchField(Kind.DATASET, key);
    }

    private static Compare cmp(SearchField field, Op op, Object value) {
        return new Compare(field, op, value);
    }

    private static And and(SearchFilter... operands) {
        return new And(List.of(operands));
    }

    private static Or or(SearchFilter... operands) {
        return new Or(List.of(operands));
    }

    private static Not not(SearchFilter operand) {
        return new Not(operand);
    }

    private static In in(SearchField field, boolean negated, String... values) {
        return new In(field, List.of(values), negated);
    }

    private static SearchFilter runs(String text) {
        return FilterParser.parseFilter(text, Target.RUNS);
    }

    private static SearchFilter experiments(String text) {
        return FilterParser.parseFilter(text, Target.EXPERIMENTS);
    }

    private static Arguments row(String text, SearchFilter expected) {
        return Arguments.of(text, expected);
    }

    private static final Compare A = cmp(metric("a"), Op.GT, 1.0);
    private static final Compare B = cmp(param("p"), Op.EQ, "x");
    private static final Compare C = cmp(tag("t"), Op.EQ, "y");

    // ---- what parses, and to what ----------------------------------------------------------------

    @Nested
    @DisplayName("empty filters")
    class Empty {
        @ParameterizedTest(name = "<{0}>")
        @NullSource
        @ValueSource(strings = {"", " ", "   ", "\t\n", "\r\n  \t"})
        @DisplayName("null, empty and blank filters match everything")
        void blankIsAll(String text) {
            assertEquals(new SearchFilter.All(), runs(text));
            assertEquals(new SearchFilter.All(), experiments(text));
        }
    }

    static Stream<Arguments> prefixes() {
        return Stream.of(
                row("metric.acc > 1", cmp(metric("acc"), Op.GT, 1.0)),
                row("metrics.acc > 1", cmp(metric("acc"), Op.GT, 1.0)),
                row("METRICS.acc > 1", cmp(metric("acc"), Op.GT, 1.0)),
                row("param.lr = 'x'", cmp(param("lr"), Op.EQ, "x")),
                row("params.lr = 'x'", cmp(param("lr"), Op.EQ, "x")),
                row("parameter.lr = 'x'", cmp(param("lr"), Op.EQ, "x")),
                row("parameters.lr = 'x'", cmp(param("lr"), Op.EQ, "x")),
                row("Params.lr = 'x'", cmp(param("lr"), Op.EQ, "x")),
                row("tag.t = 'x'", cmp(tag("t"), Op.EQ, "x")),
                row("tags.t = 'x'", cmp(tag("t"), Op.EQ, "x")),
                row("TAGS.t = 'x'", cmp(tag("t"), Op.EQ, "x")),
                row("attribute.status = 'X'", cmp(attr("status"), Op.EQ, "X")),
                row("attributes.status = 'X'", cmp(attr("status"), Op.EQ, "X")),
                row("attr.status = 'X'", cmp(attr("status"), Op.EQ, "X")),
                row("run.status = 'X'", cmp(attr("status"), Op.EQ, "X")),
                row("status = 'X'", cmp(attr("status"), Op.EQ, "X")),
                row("Status = 'X'", cmp(attr("status"), Op.EQ, "X")),
                row("ATTRIBUTES.RUN_NAME = 'x'", cmp(attr("run_name"), Op.EQ, "x")),
                row("run_id = 'x'", cmp(attr("run_id"), Op.EQ, "x")),
                row("run_name = 'x'", cmp(attr("run_name"), Op.EQ, "x")),
                row("user_id = 'x'", cmp(attr("user_id"), Op.EQ, "x")),
                row("attributes.artifact_uri LIKE 'file:%'", cmp(attr("artifact_uri"), Op.LIKE, "file:%")),
                row("start_time > 5", cmp(attr("start_time"), Op.GT, 5.0)),
                row("created > 5", cmp(attr("start_time"), Op.GT, 5.0)),
                row("attributes.created >= 5", cmp(attr("start_time"), Op.GE, 5.0)),
                row("Created < 5", cmp(attr("start_time"), Op.LT, 5.0)),
                row("`Run name` = 'r'", cmp(attr("run_name"), Op.EQ, "r")),
                row("attributes.`Run Name` = 'r'", cmp(attr("run_name"), Op.EQ, "r")),
                row("attributes.\"run name\" != 'r'", cmp(attr("run_name"), Op.NE, "r")),
                row("end_time <= 5", cmp(attr("end_time"), Op.LE, 5.0)),
                row("dataset.name = 'iris'", cmp(dataset("name"), Op.EQ, "iris")),
                row("datasets.digest = 'd'", cmp(dataset("digest"), Op.EQ, "d")),
                row("datasets.context = 'eval'", cmp(dataset("context"), Op.EQ, "eval")),
                row("DATASETS.context != 'eval'", cmp(dataset("context"), Op.NE, "eval")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("prefixes")
    @DisplayName("every prefix and alias names its kind of field; prefixes and attribute names ignore case")
    void prefix(String text, SearchFilter expected) {
        assertEquals(expected, runs(text));
    }

    static Stream<Arguments> keys() {
        return Stream.of(
                row("tags.`mlflow.runName` = 'x'", cmp(tag("mlflow.runName"), Op.EQ, "x")),
                row("tags.\"mlflow.runName\" = 'x'", cmp(tag("mlflow.runName"), Op.EQ, "x")),
                row("tags.runlog.user = 'x'", cmp(tag("runlog.user"), Op.EQ, "x")),
                row("tags.`runlog.user` = 'x'", cmp(tag("runlog.user"), Op.EQ, "x")),
                row("tags.runlog.source.git.commit = 'x'", cmp(tag("runlog.source.git.commit"), Op.EQ, "x")),
                row("params.`learning rate` = 'x'", cmp(param("learning rate"), Op.EQ, "x")),
                row("params.\"learning rate\" = 'x'", cmp(param("learning rate"), Op.EQ, "x")),
                row("params.`a``b` = 'x'", cmp(param("a`b"), Op.EQ, "x")),
                row("params.`it's` = 'x'", cmp(param("it's"), Op.EQ, "x")),
                row("params.and = 'x'", cmp(param("and"), Op.EQ, "x")),
                row("params.`AND` = 'x'", cmp(param("AND"), Op.EQ, "x")),
                row("params.Lr = 'x'", cmp(param("Lr"), Op.EQ, "x")),
                row("metrics.val/acc_top-1 > 0", cmp(metric("val/acc_top-1"), Op.GT, 0.0)),
                row("metrics.`1acc` > 0", cmp(metric("1acc"), Op.GT, 0.0)),
                row("metrics.`a b.c` > 0", cmp(metric("a b.c"), Op.GT, 0.0)),
                row("params.über = 'x'", cmp(param("über"), Op.EQ, "x")),
                row("tags.`a'; DROP TABLE runs; --` = 'v'", cmp(tag("a'; DROP TABLE runs; --"), Op.EQ, "v")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keys")
    @DisplayName("keys: plain (dots joined), in backticks or double quotes, keywords as keys, case kept")
    void key(String text, SearchFilter expected) {
        assertEquals(expected, runs(text));
    }

    static Stream<Arguments> comparators() {
        return Stream.of(
                row("metrics.a = 1", cmp(metric("a"), Op.EQ, 1.0)),
                row("metrics.a == 1", cmp(metric("a"), Op.EQ, 1.0)),
                row("metrics.a != 1", cmp(metric("a"), Op.NE, 1.0)),
                row("metrics.a <> 1", cmp(metric("a"), Op.NE, 1.0)),
                row("metrics.a < 1", cmp(metric("a"), Op.LT, 1.0)),
                row("metrics.a <= 1", cmp(metric("a"), Op.LE, 1.0)),
                row("metrics.a > 1", cmp(metric("a"), Op.GT, 1.0)),
                row("metrics.a >= 1", cmp(metric("a"), Op.GE, 1.0)),
                row("metrics.a>=1", cmp(metric("a"), Op.GE, 1.0)),
                row("metrics.a>-1", cmp(metric("a"), Op.GT, -1.0)),
                row("end_time != 0", cmp(attr("end_time"), Op.NE, 0.0)),
                row("params.p = 'x'", cmp(param("p"), Op.EQ, "x")),
                row("params.p != 'x'", cmp(param("p"), Op.NE, "x")),
                row("params.p <> 'x'", cmp(param("p"), Op.NE, "x")),
                row("params.p LIKE 'x%'", cmp(param("p"), Op.LIKE, "x%")),
                row("params.p like 'x%'", cmp(param("p"), Op.LIKE, "x%")),
                row("params.p ILIKE 'x_'", cmp(param("p"), Op.ILIKE, "x_")),
                row("params.p iLike 'x_'", cmp(param("p"), Op.ILIKE, "x_")),
                row("tags.t!='x'", cmp(tag("t"), Op.NE, "x")),
                row("status LIKE 'F%'", cmp(attr("status"), Op.LIKE, "F%")),
                row("datasets.name ILIKE 'IRIS'", cmp(dataset("name"), Op.ILIKE, "IRIS")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("comparators")
    @DisplayName("comparators: = == != <> < <= > >= on numbers, = != <> LIKE ILIKE on strings, in any case")
    void comparator(String text, SearchFilter expected) {
        assertEquals(expected, runs(text));
    }

    static Stream<Arguments> values() {
        return Stream.of(
                row("metrics.a = 1", cmp(metric("a"), Op.EQ, 1.0)),
                row("metrics.a = -1", cmp(metric("a"), Op.EQ, -1.0)),
                row("metrics.a = +2", cmp(metric("a"), Op.EQ, 2.0)),
                row("metrics.a = .5", cmp(metric("a"), Op.EQ, 0.5)),
                row("metrics.a = -.5", cmp(metric("a"), Op.EQ, -0.5)),
                row("metrics.a = 0.9", cmp(metric("a"), Op.EQ, 0.9)),
                row("metrics.a = 1e3", cmp(metric("a"), Op.EQ, 1000.0)),
                row("metrics.a = -1.5E-2", cmp(metric("a"), Op.EQ, -0.015)),
                row("metrics.a = 2e+2", cmp(metric("a"), Op.EQ, 200.0)),
                row("metrics.a = 1e999", cmp(metric("a"), Op.EQ, Double.POSITIVE_INFINITY)),
                row("metrics.a = -1e999", cmp(metric("a"), Op.EQ, Double.NEGATIVE_INFINITY)),
                row("metrics.a = -0.0", cmp(metric("a"), Op.EQ, -0.0)),
                row("start_time >= 1623745800123", cmp(attr("start_time"), Op.GE, 1623745800123.0)),
                row("params.p = 'x'", cmp(param("p"), Op.EQ, "x")),
                row("params.p = \"x\"", cmp(param("p"), Op.EQ, "x")),
                row("params.p = ''", cmp(param("p"), Op.EQ, "")),
                row("params.p = '  spaced  '", cmp(param("p"), Op.EQ, "  spaced  ")),
                row("params.p = 'it''s'", cmp(param("p"), Op.EQ, "it's")),
                row("params.p = 'it\\'s'", cmp(param("p"), Op.EQ, "it's")),
                row("params.p = \"it's\"", cmp(param("p"), Op.EQ, "it's")),
                row("params.p = \"say \"\"hi\"\"\"", cmp(param("p"), Op.EQ, "say \"hi\"")),
                row("params.p = 'a\\\\b'", cmp(param("p"), Op.EQ, "a\\b")),
                row("params.p = 'a\\b'", cmp(param("p"), Op.EQ, "a\\b")),
                row("params.p = '0.1'", cmp(param("p"), Op.EQ, "0.1")),
                row("params.p = 'AND OR NOT'", cmp(param("p"), Op.EQ, "AND OR NOT")),
                row("params.p = 'x'' OR 1=1 --'", cmp(param("p"), Op.EQ, "x' OR 1=1 --")),
                row("params.p = 'Zürich 😀'", cmp(param("p"), Op.EQ, "Zürich 😀")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    @DisplayName("values: numbers as doubles (signs, exponents, -0.0, overflow to infinity); strings in either quote, with doubled or escaped quotes")
    void value(String text, SearchFilter expected) {
        SearchFilter parsed = runs(text);
        assertEquals(expected, parsed);
        if (expected instanceof Compare c && c.value() instanceof Double d) {
            // Record equality compares doubles with Double.equals, which tells -0.0 from 0.0; check the bits anyway.
            assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits((Double) ((Compare) parsed).value()));
        }
    }

    static Stream<Arguments> nullsAndLists() {
        return Stream.of(
                row("params.lr IS NULL", new IsNull(param("lr"), false)),
                row("params.lr IS NOT NULL", new IsNull(param("lr"), true)),
                row("tags.t is not null", new IsNull(tag("t"), true)),
                row("tags.t Is Null", new IsNull(tag("t"), false)),
                row("metrics.acc IS NULL", new IsNull(metric("acc"), false)),
                row("tags.`mlflow.runName` IS NOT NULL", new IsNull(tag("mlflow.runName"), true)),
                row("run_id IN ('a')", in(attr("run_id"), false, "a")),
                row("run_id in ('a', \"b\",'c')", in(attr("run_id"), false, "a", "b", "c")),
                row("attributes.run_id IN('a','b')", in(attr("run_id"), false, "a", "b")),
                row("status NOT IN ('FINISHED', 'FAILED')", in(attr("status"), true, "FINISHED", "FAILED")),
                row("run_name not in ('x')", in(attr("run_name"), true, "x")),
                row("user_id IN ('u')", in(attr("user_id"), false, "u")),
                row("artifact_uri IN ('u')", in(attr("artifact_uri"), false, "u")),
                row("datasets.context NOT IN ('train')", in(dataset("context"), true, "train")),
                row("datasets.digest IN ('d1', 'd2')", in(dataset("digest"), false, "d1", "d2")),
                row("run_id IN ('a'') OR (''1''=''1')", in(attr("run_id"), false, "a') OR ('1'='1")),
                row("run_id IN ('a', 'a')", in(attr("run_id"), false, "a", "a")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nullsAndLists")
    @DisplayName("IS [NOT] NULL on metrics, params and tags; [NOT] IN on string fields")
    void nullAndList(String text, SearchFilter expected) {
        assertEquals(expected, runs(text));
    }

    static Stream<Arguments> logic() {
        String a = "metrics.a > 1";
        String b = "params.p = 'x'";
        String c = "tags.t = 'y'";
        return Stream.of(
                row(a + " AND " + b, and(A, B)),
                row(a + " OR " + b, or(A, B)),
                row(a + " AND " + b + " AND " + c, and(A, B, C)),
                row(a + " OR " + b + " OR " + c, or(A, B, C)),
                row(a + " AND " + b + " OR " + c, or(and(A, B), C)),
                row(a + " OR " + b + " AND " + c, or(A, and(B, C))),
                row("(" + a + " OR " + b + ") AND " + c, and(or(A, B), C)),
                row(a + " AND (" + b + " OR " + c + ")", and(A, or(B, C))),
                row(a + " AND (" + b + " AND " + c + ")", and(A, and(B, C))),
                row("NOT " + a, not(A)),
                row("NOT " + a + " AND " + b, and(not(A), B)),
                row("NOT " + a + " OR " + b, or(not(A), B)),
                row(a + " AND NOT " + b, and(A, not(B))),
                row("NOT (" + a + " OR " + b + ")", not(or(A, B))),
                row("NOT NOT " + a, not(not(A))),
                row("NOT params.p IN ('x')", not(in(param("p"), false, "x"))),
                row("NOT params.p IS NULL", not(new IsNull(param("p"), false))),
                row("(" + a + ")", A),
                row("((" + a + "))", A),
                row("(" + a + ") AND ((" + b + ") OR (" + c + "))", and(A, or(B, C))),
                row(a + " and " + b + " or " + c, or(and(A, B), C)),
                row(a + " AnD " + b + " oR " + c, or(and(A, B), C)),
                row("not " + a, not(A)),
                row("metrics.a>1AND params.p='x'", and(A, B)),
                row(a + "\n\tAND\r\n" + b, and(A, B)),
                row("(" + a + ")AND(" + b + ")", and(A, B)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("logic")
    @DisplayName("AND, OR, NOT and parentheses: NOT binds tightest, then AND, then OR; chains flatten; keywords ignore case")
    void logic(String text, SearchFilter expected) {
        assertEquals(expected, runs(text));
    }

    static Stream<Arguments> experimentFilters() {
        return Stream.of(
                row("name = 'x'", cmp(attr("name"), Op.EQ, "x")),
                row("NAME = 'x'", cmp(attr("name"), Op.EQ, "x")),
                row("attributes.name LIKE 'cv-%'", cmp(attr("name"), Op.LIKE, "cv-%")),
                row("attr.name ILIKE 'CV%'", cmp(attr("name"), Op.ILIKE, "CV%")),
                row("attribute.experiment_id = '1'", cmp(attr("experiment_id"), Op.EQ, "1")),
                row("creation_time > 5", cmp(attr("creation_time"), Op.GT, 5.0)),
                row("last_update_time <= 5", cmp(attr("last_update_time"), Op.LE, 5.0)),
                row("tags.team = 'vision'", cmp(tag("team"), Op.EQ, "vision")),
                row("tag.`a b` != 'v'", cmp(tag("a b"), Op.NE, "v")),
                row("tags.owner IS NULL", new IsNull(tag("owner"), false)),
                row("name IN ('a', 'b')", in(attr("name"), false, "a", "b")),
                row("experiment_id NOT IN ('1')", in(attr("experiment_id"), true, "1")),
                row("tags.team = 'vision' OR name LIKE 'nlp%'", or(cmp(tag("team"), Op.EQ, "vision"),
                        cmp(attr("name"), Op.LIKE, "nlp%"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("experimentFilters")
    @DisplayName("experiment filters: name, experiment_id, creation_time, last_update_time, tags")
    void experimentFilter(String text, SearchFilter expected) {
        assertEquals(expected, experiments(text));
    }

    static Stream<Arguments> registryFilters() {
        return Stream.of(
                Arguments.of("name LIKE 'iris%'", Target.MODELS, cmp(attr("name"), Op.LIKE, "iris%")),
                Arguments.of("tags.team = 'vision'", Target.MODELS, cmp(tag("team"), Op.EQ, "vision")),
                Arguments.of("last_update_time > 5", Target.MODELS, cmp(attr("last_update_time"), Op.GT, 5.0)),
                Arguments.of("name = 'iris' AND stage = 'Production'", Target.VERSIONS,
                        and(cmp(attr("name"), Op.EQ, "iris"), cmp(attr("stage"), Op.EQ, "Production"))),
                Arguments.of("current_stage = 'Staging'", Target.VERSIONS, cmp(attr("stage"), Op.EQ, "Staging")),
                Arguments.of("version >= 2", Target.VERSIONS, cmp(attr("version"), Op.GE, 2.0)),
                Arguments.of("version_number < 10", Target.VERSIONS, cmp(attr("version"), Op.LT, 10.0)),
                Arguments.of("source_path LIKE 'runs:/%'", Target.VERSIONS, cmp(attr("source"), Op.LIKE, "runs:/%")),
                Arguments.of("run_id IN ('a', 'b')", Target.VERSIONS, in(attr("run_id"), false, "a", "b")),
                Arguments.of("tags.validated IS NOT NULL", Target.VERSIONS, new IsNull(tag("validated"), true)));
    }

    @ParameterizedTest(name = "{1}: <{0}>")
    @MethodSource("registryFilters")
    @DisplayName("registry filters: model and version fields, with MLflow's synonyms")
    void registryFilter(String text, Target target, SearchFilter expected) {
        assertEquals(expected, FilterParser.parseFilter(text, target));
    }

    static Stream<Arguments> registryErrors() {
        return Stream.of(
                error("stage = 'x'", Target.MODELS, 1, "unknown attribute 'stage'; registered model attributes are"),
                error("metrics.acc > 1", Target.VERSIONS, 1, "unknown prefix 'metrics'; expected one of tags, attributes"),
                error("version = '2'", Target.VERSIONS, 11, "expected a number after 'version ='"),
                error("version LIKE '2%'", Target.VERSIONS, 9, "LIKE does not apply to 'version', which is numeric"),
                error("stage > 'a'", Target.VERSIONS, 7, "'>' does not apply to 'stage', which is a string"),
                error("run_name = 'x'", Target.VERSIONS, 1, "unknown attribute 'run_name'; model version attributes are"));
    }

    @ParameterizedTest(name = "{1}: <{0}> fails at column {2}")
    @MethodSource("registryErrors")
    @DisplayName("a bad registry filter names the field it does not know and the fields it does")
    void registryError(String text, Target target, int column, List<String> parts) {
        assertFails(text, target, column, parts, () -> FilterParser.parseFilter(text, target));
    }

    static Stream<Arguments> orders() {
        return Stream.of(
                Arguments.of("metrics.acc DESC", Target.RUNS, new SearchOrder(metric("acc"), false)),
                Arguments.of("metrics.acc", Target.RUNS, new SearchOrder(metric("acc"), true)),
                Arguments.of("metrics.acc ASC", Target.RUNS, new SearchOrder(metric("acc"), true)),
                Arguments.of("metrics.acc asc", Target.RUNS, new SearchOrder(metric("acc"), true)),
                Arguments.of("metrics.acc Desc", Target.RUNS, new SearchOrder(metric("acc"), false)),
                Arguments.of("  metrics.acc   DESC  ", Target.RUNS, new SearchOrder(metric("acc"), false)),
                Arguments.of("start_time", Target.RUNS, new SearchOrder(attr("start_time"), true)),
                Arguments.of("created DESC", Target.RUNS, new SearchOrder(attr("start_time"), false)),
                Arguments.of("attributes.run_name ASC", Target.RUNS, new SearchOrder(attr("run_name"), true)),
                Arguments.of("end_time desc", Target.RUNS, new SearchOrder(attr("end_time"), false)),
                Arguments.of("user_id", Target.RUNS, new SearchOrder(attr("user_id"), true)),
                Arguments.of("params.lr", Target.RUNS, new SearchOrder(param("lr"), true)),
                Arguments.of("tags.`mlflow.runName` DESC", Target.RUNS, new SearchOrder(tag("mlflow.runName"), false)),
                Arguments.of("tags.runlog.user", Target.RUNS, new SearchOrder(tag("runlog.user"), true)),
                // Quoted whole, prefix and all, as MLflow takes an order key.
                Arguments.of("`metrics.m` DESC", Target.RUNS, new SearchOrder(metric("m"), false)),
                Arguments.of("\"metrics.val loss\"", Target.RUNS, new SearchOrder(metric("val loss"), true)),
                Arguments.of("`tags.mlflow.runName`", Target.RUNS, new SearchOrder(tag("mlflow.runName"), true)),
                Arguments.of("`attributes.start_time` DESC", Target.RUNS, new SearchOrder(attr("start_time"), false)),
                Arguments.of("`Run name` DESC", Target.RUNS, new SearchOrder(attr("run_name"), false)),
                Arguments.of("`tags.team`", Target.EXPERIMENTS, new SearchOrder(tag("team"), true)),
                Arguments.of("name DESC", Target.EXPERIMENTS, new SearchOrder(attr("name"), false)),
                Arguments.of("creation_time", Target.EXPERIMENTS, new SearchOrder(attr("creation_time"), true)),
                Arguments.of("attributes.last_update_time ASC", Target.EXPERIMENTS,
                        new SearchOrder(attr("last_update_time"), true)),
                Arguments.of("tags.team DESC", Target.EXPERIMENTS, new SearchOrder(tag("team"), false)));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("orders")
    @DisplayName("order clauses: a field, then ASC (the default) or DESC in any case")
    void order(String clause, Target target, SearchOrder expected) {
        assertEquals(expected, FilterParser.parseOrder(clause, target));
    }

    // ---- what fails, where, and why ------------------------------------------------------------

    /**
     * A filter that fails at {@code column} with a message holding every one of {@code parts}
     * (what was expected, and what was found).
     */
    private static Arguments error(String text, Target target, int column, String... parts) {
        return Arguments.of(text, target, column, Arrays.asList(parts));
    }

    private static void assertFails(String text, Target target, int column, List<String> parts,
                                    org.junit.jupiter.api.function.Executable parse) {
        InvalidFilterException e = assertThrows(InvalidFilterException.class, parse, () -> "<" + text + "> parsed");
        assertTrue(e instanceof InvalidInputException, "an InvalidFilterException is an InvalidInputException");
        String message = e.getMessage();
        assertNotNull(message);
        assertAll(
                () -> assertEquals(column, e.column(), () -> "column of the problem in <" + text + ">: " + message),
                () -> assertEquals(String.valueOf(text), e.filter(), "the exception keeps the text"),
                () -> assertTrue(message.contains("at column " + column), () -> "the message names the column: " + message),
                () -> assertTrue(message.contains(String.valueOf(text)), () -> "the message quotes the text: " + message),
                () -> {
                    for (String part : parts) {
                        assertTrue(message.contains(part), () -> "message should contain <" + part + ">: " + message);
                    }
                });
    }

    static Stream<Arguments> filterErrors() {
        return Stream.of(
                // unknown names
                error("metricz.acc > 1", Target.RUNS, 1, "unknown prefix 'metricz'", "metrics, params, tags, attributes, datasets"),
                error("attributes.foo = 'x'", Target.RUNS, 1, "unknown attribute 'foo'", "run_id, run_name, status, user_id"),
                error("foo = 'x'", Target.RUNS, 1, "unknown attribute 'foo'"),
                error("name = 'x'", Target.RUNS, 1, "unknown attribute 'name'"),
                error("datasets.size = 'x'", Target.RUNS, 1, "unknown dataset field 'size'", "name, digest and context"),
                error("metrics.acc > 1", Target.EXPERIMENTS, 1, "unknown prefix 'metrics'", "tags, attributes"),
                error("status = 'x'", Target.EXPERIMENTS, 1, "unknown attribute 'status'",
                        "name, experiment_id, creation_time and last_update_time"),
                // missing key
                error("metrics. > 1", Target.RUNS, 10, "expected a key after 'metrics.'", "found '>'"),
                error("metrics.", Target.RUNS, 9, "expected a key after 'metrics.'", "found the end of the filter"),
                error("metrics.`` > 1", Target.RUNS, 9, "expected a key after 'metrics.'", "empty quoted key"),
                error("params.'lr' = 'x'", Target.RUNS, 8, "expected a key after 'params.'", "found 'lr'"),
                // missing comparator
                error("metrics.acc", Target.RUNS, 12, "expected a comparator after 'metrics.acc' at column 12",
                        "found the end of the filter"),
                error("metrics.acc 0.5", Target.RUNS, 13, "expected a comparator after 'metrics.acc'", "found '0.5'"),
                error("params.p 'x'", Target.RUNS, 10, "expected a comparator after 'params.p'", "found 'x'"),
                error("metrics.a ! 1", Target.RUNS, 11, "expected '!=' but found '!'"),
                // wrong value type
                error("metrics.acc > 'x'", Target.RUNS, 15, "expected a number after 'metrics.acc >'", "found 'x'"),
                error("metrics.acc = \"0.5\"", Target.RUNS, 15, "expected a number after 'metrics.acc ='", "found \"0.5\""),
                error("start_time = 'x'", Target.RUNS, 14, "expected a number after 'start_time ='", "found 'x'"),
                error("metrics.a > > 1", Target.RUNS, 13, "expected a number after 'metrics.a >'", "found '>'"),
                error("metrics.a >", Target.RUNS, 12, "expected a number after 'metrics.a >'", "found the end of the filter"),
                error("metrics.a > NaN", Target.RUNS, 13, "expected a number after 'metrics.a >'", "found 'NaN'"),
                error("params.lr = 0.1", Target.RUNS, 13, "expected a quoted string after 'params.lr ='", "found '0.1'"),
                error("status = 5", Target.RUNS, 10, "expected a quoted string after 'status ='", "found '5'"),
                error("params.p = `x`", Target.RUNS, 12, "expected a quoted string after 'params.p ='", "found `x`"),
                error("params.p =", Target.RUNS, 11, "expected a quoted string after 'params.p ='", "found the end of the filter"),
                error("creation_time = 'x'", Target.EXPERIMENTS, 17, "expected a number after 'creation_time ='", "found 'x'"),
                // comparator that does not apply to the field
                error("metrics.acc LIKE '0.%'", Target.RUNS, 13, "LIKE does not apply to 'metrics.acc'", "numeric"),
                error("end_time ILIKE '1%'", Target.RUNS, 10, "ILIKE does not apply to 'end_time'", "numeric"),
                error("creation_time LIKE '1%'", Target.EXPERIMENTS, 15, "LIKE does not apply to 'creation_time'"),
                error("params.lr < '0.1'", Target.RUNS, 11, "'<' does not apply to 'params.lr'", "string", "use = != LIKE ILIKE"),
                error("tags.t >= 'a'", Target.RUNS, 8, "'>=' does not apply to 'tags.t'", "string"),
                error("run_name > 'a'", Target.RUNS, 10, "'>' does not apply to 'run_name'"),
                error("name <= 'a'", Target.EXPERIMENTS, 6, "'<=' does not apply to 'name'"),
                // IS NULL only on metrics, params and tags
                error("status IS NULL", Target.RUNS, 8, "IS NULL applies to metrics, params and tags", "not to 'status'"),
                error("start_time IS NOT NULL", Target.RUNS, 12, "IS NULL applies to metrics, params and tags", "'start_time'"),
                error("datasets.name IS NOT NULL", Target.RUNS, 15, "IS NULL applies to metrics, params and tags", "'datasets.name'"),
                error("name IS NULL", Target.EXPERIMENTS, 6, "IS NULL applies to metrics, params and tags", "'name'"),
                error("tags.t IS 'x'", Target.RUNS, 11, "expected NULL after 'tags.t IS'", "found 'x'"),
                error("tags.t IS NOT 'x'", Target.RUNS, 15, "expected NULL after 'tags.t IS NOT'", "found 'x'"),
                error("tags.t IS", Target.RUNS, 10, "expected NULL after 'tags.t IS'", "found the end of the filter"),
                // IN only on string fields, with a non-empty list of strings
                error("start_time IN ('1')", Target.RUNS, 12, "IN applies to string fields", "'start_time' is numeric"),
                error("metrics.acc IN ('1')", Target.RUNS, 13, "IN applies to string fields", "'metrics.acc' is numeric"),
                error("metrics.acc NOT IN ('1')", Target.RUNS, 17, "IN applies to string fields", "'metrics.acc' is numeric"),
                error("creation_time IN ('1')", Target.EXPERIMENTS, 15, "IN applies to string fields", "numeric"),
                error("run_id IN ()", Target.RUNS, 12, "expected a quoted string in the IN list of 'run_id'", "found ')'"),
                error("run_id IN ('a',)", Target.RUNS, 16, "expected a quoted string in the IN list of 'run_id'", "found ')'"),
                error("run_id IN (1)", Target.RUNS, 12, "expected a quoted string in the IN list of 'run_id'", "found '1'"),
                error("run_id IN 'a'", Target.RUNS, 11, "expected '(' after 'run_id IN'", "found 'a'"),
                error("run_id IN ('a' 'b')", Target.RUNS, 16, "expected ',' or ')' in the IN list of 'run_id'", "found 'b'"),
                error("run_id IN ('a'", Target.RUNS, 15, "expected ',' or ')' in the IN list of 'run_id'",
                        "found the end of the filter"),
                // NOT must be followed by IN after a field
                error("params.p NOT 'x'", Target.RUNS, 14, "expected IN after 'params.p NOT'", "found 'x'"),
                error("params.p NOT LIKE 'x%'", Target.RUNS, 14, "expected IN after 'params.p NOT'", "found 'LIKE'"),
                error("params.p NOT", Target.RUNS, 13, "expected IN after 'params.p NOT'", "found the end of the filter"),
                // unclosed quotes, backticks, parentheses
                error("params.p = 'abc", Target.RUNS, 12, "unclosed quote ' opened"),
                error("params.p = \"abc", Target.RUNS, 12, "unclosed quote \" opened"),
                error("params.p = 'it''s", Target.RUNS, 12, "unclosed quote ' opened"),
                error("params.p = 'abc\\'", Target.RUNS, 12, "unclosed quote ' opened"),
                error("tags.`abc = 'x'", Target.RUNS, 6, "unclosed backtick ` opened"),
                error("(metrics.a > 1", Target.RUNS, 15, "expected ')' to close the parenthesis opened in column 1", "found the end of the filter"),
                error("metrics.a > 1 AND (params.p = 'x' OR tags.t = 'y'", Target.RUNS, 50, "expected ')' to close the parenthesis opened in column 19",
                        "found the end of the filter"),
                error("((metrics.a > 1)", Target.RUNS, 17, "expected ')' to close the parenthesis opened in column 1"),
                // trailing garbage and dangling operators
                error("metrics.a > 1 foo", Target.RUNS, 15, "expected AND, OR or the end of the filter", "found 'foo'"),
                error("metrics.a > 1)", Target.RUNS, 14, "expected AND, OR or the end of the filter", "found ')'"),
                error("metrics.acc = 1 2", Target.RUNS, 17, "expected AND, OR or the end of the filter", "found '2'"),
                error("params.p = 'x' params.q = 'y'", Target.RUNS, 16, "expected AND, OR or the end of the filter", "found 'params'"),
                error("name = 'a' extra", Target.EXPERIMENTS, 12, "expected AND, OR or the end of the filter", "found 'extra'"),
                error("metrics.a > 1 AND", Target.RUNS, 18, "expected a field such as metrics.accuracy", "found the end of the filter"),
                error("metrics.a > 1 OR OR params.p = 'x'", Target.RUNS, 18, "expected a field such as", "found 'OR'"),
                error("NOT", Target.RUNS, 4, "expected a field", "found the end of the filter"),
                error("()", Target.RUNS, 2, "expected a field", "found ')'"),
                error("= 'x'", Target.RUNS, 1, "expected a field", "found '='"),
                error("'x' = params.p", Target.RUNS, 1, "expected a field", "found 'x'"),
                error("1=1", Target.RUNS, 1, "expected a field", "found '1'"),
                error("tags.t = 'a' AND", Target.EXPERIMENTS, 17, "expected a field such as name or tags.team"),
                // characters that are no part of the grammar
                error("metrics.a > 1 ; DROP TABLE runs", Target.RUNS, 15, "unexpected character ';'"),
                error("metrics.a > 1 && params.p = 'x'", Target.RUNS, 15, "unexpected character '&'"),
                error("run_name = 'r01' --", Target.RUNS, 18, "unexpected character '-'"),
                error("metrics.a > 1e", Target.RUNS, 13, "malformed number '1e'"),
                error("metrics.a > -inf", Target.RUNS, 13, "expected a number after '-'"),
                error("metrics.a > 1.2.3", Target.RUNS, 13, "malformed number '1.2.3'"),
                error("metrics.a > -Infinity", Target.RUNS, 13, "expected a number after '-'", "write infinity as 1e999"));
    }

    @ParameterizedTest(name = "{1}: <{0}> fails at column {2}")
    @MethodSource("filterErrors")
    @DisplayName("a bad filter fails with InvalidFilterException: the column, what was expected, what was found")
    void filterError(String text, Target target, int column, List<String> parts) {
        assertFails(text, target, column, parts, () -> FilterParser.parseFilter(text, target));
    }

    static Stream<Arguments> orderErrors() {
        return Stream.of(
                error("datasets.name", Target.RUNS, 1, "cannot order by dataset field 'name'"),
                error("dataset.context DESC", Target.RUNS, 1, "cannot order by dataset field 'context'"),
                error("metrics.acc DESC x", Target.RUNS, 18, "expected ASC, DESC or the end of the order clause", "found 'x'"),
                error("metrics.acc UP", Target.RUNS, 13, "expected ASC, DESC or the end of the order clause", "found 'UP'"),
                error("metrics.acc DESC DESC", Target.RUNS, 18, "expected ASC, DESC or the end of the order clause", "found 'DESC'"),
                error("metrics.acc > 1", Target.RUNS, 13, "expected ASC, DESC or the end of the order clause", "found '>'"),
                error("metrics.acc, params.lr", Target.RUNS, 12, "expected ASC, DESC or the end of the order clause", "found ','"),
                error("", Target.RUNS, 1, "expected a field to order by"),
                error("   ", Target.RUNS, 1, "expected a field to order by"),
                error("nosuch", Target.RUNS, 1, "unknown attribute 'nosuch'"),
                error("metrics.", Target.RUNS, 9, "expected a key after 'metrics.'", "found the end of the filter"),
                error("DESC", Target.RUNS, 1, "expected a field such as", "found 'DESC'"),
                error("metrics.acc", Target.EXPERIMENTS, 1, "unknown prefix 'metrics'"),
                error("run_name", Target.EXPERIMENTS, 1, "unknown attribute 'run_name'"),
                error("`metrics.`", Target.RUNS, 1, "expected a key after 'metrics.'"),
                error("`nosuch.x` DESC", Target.RUNS, 1, "unknown attribute 'nosuch.x'"),
                error("`datasets.name`", Target.RUNS, 1, "cannot order by dataset field 'name'"),
                error("name DOWN", Target.EXPERIMENTS, 6, "expected ASC, DESC or the end of the order clause", "found 'DOWN'"));
    }

    @ParameterizedTest(name = "{1}: <{0}> fails at column {2}")
    @MethodSource("orderErrors")
    @DisplayName("a bad order clause fails with InvalidFilterException: dataset fields, unknown fields, trailing junk")
    void orderError(String clause, Target target, int column, List<String> parts) {
        assertFails(clause, target, column, parts, () -> FilterParser.parseOrder(clause, target));
    }

    @Test
    @DisplayName("a null order clause fails with InvalidFilterException at column 1")
    void nullOrder() {
        InvalidFilterException e = assertThrows(InvalidFilterException.class, () -> FilterParser.parseOrder(null, Target.RUNS));
        assertEquals(1, e.column());
    }

    @Test
    @DisplayName("the message reads: problem, column, what was found, the text")
    void messageShape() {
        InvalidFilterException e = assertThrows(InvalidFilterException.class, () -> runs("metrics.acc"));
        assertEquals("expected a comparator after 'metrics.acc' at column 12, found the end of the filter in \"metrics.acc\"",
                e.getMessage());
    }
}
