package dev.runlog.tracking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.Dataset;
import dev.runlog.tracking.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Dataset#fromCsv} ({@link CsvDatasets}): the Iris data set from the test resources, and
 * small CSV files written here for each quoting, line-end and typing rule.
 */
class CsvDatasetsTest {
    private static final double EPS = 1e-9;
    private static final List<String> IRIS_NUMERIC =
            List.of("sepal_length", "sepal_width", "petal_length", "petal_width");

    @TempDir
    Path dir;

    // ---- Iris -----------------------------------------------------------------------------------

    /** The resource copied to a file named iris.csv, so it works from a jar as well as a directory. */
    private Path iris() throws IOException {
        Path file = dir.resolve("iris.csv");
        try (InputStream in = CsvDatasetsTest.class.getResourceAsStream("/datasets/iris.csv")) {
            assertNotNull(in, "test resource /datasets/iris.csv is missing");
            Files.copy(in, file);
        }
        return file;
    }

    @Test
    void irisNameRowsSchemaDigestAndSource() throws Exception {
        Path file = iris();
        Dataset iris = Dataset.fromCsv(file);

        assertEquals("iris", iris.name());
        assertEquals(150, iris.profile().rowCount());
        assertEquals(List.of(
                new Dataset.Column("sepal_length", "double"),
                new Dataset.Column("sepal_width", "double"),
                new Dataset.Column("petal_length", "double"),
                new Dataset.Column("petal_width", "double"),
                new Dataset.Column("species", "string")), iris.schema());
        assertEquals(sha256(Files.readAllBytes(file)), iris.digest());
        // The published Iris file, byte for byte: if the resource changes, the literal values below are void.
        assertEquals("9cc1c345c71bcc9b486b74cbf6063fa66f4bb5e0f603a4b3c3471ec2e5e8e355", iris.digest());
        assertEquals(file.toAbsolutePath().normalize().toUri().toString(), iris.source());
        assertEquals(Set.copyOf(IRIS_NUMERIC), iris.profile().columns().keySet());
        assertFalse(iris.profile().columns().containsKey("species"));
    }

    @Test
    void irisSepalLengthProfileMatchesLiteralAndIndependentlyComputedValues() throws Exception {
        Path file = iris();
        Dataset.ColumnProfile p = Dataset.fromCsv(file).profile().columns().get("sepal_length");
        assertNotNull(p);

        // Literal values, as pandas' describe() gives them for Iris.
        assertEquals(150, p.count());
        assertEquals(0, p.missing());
        assertEquals(4.3, p.min(), 0.0);
        assertEquals(7.9, p.max(), 0.0);
        assertEquals(5.843333333333334, p.mean(), EPS);
        assertEquals(0.8280661279778629, p.std(), EPS);

        // The same numbers from the raw column, computed here the plain two-pass way.
        double[] v = column(file, 0);
        assertEquals(150, v.length);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (double x : v) {
            min = Math.min(min, x);
            max = Math.max(max, x);
            sum += x;
        }
        double mean = sum / v.length;
        double squares = 0;
        for (double x : v) {
            squares += (x - mean) * (x - mean);
        }
        double std = Math.sqrt(squares / (v.length - 1));
        assertEquals(min, p.min(), 0.0);
        assertEquals(max, p.max(), 0.0);
        assertEquals(mean, p.mean(), EPS);
        assertEquals(std, p.std(), EPS);
        assertEquals(5.843333333333334, mean, EPS);
        assertEquals(0.8280661279778629, std, EPS);

        Dataset.Histogram h = p.histogram();
        assertEquals(10, h.counts().size());
        assertEquals(11, h.edges().size());
        assertEquals(150L, h.counts().stream().mapToLong(Long::longValue).sum());
        assertEquals(4.3, h.edges().get(0), 0.0);
        assertEquals(7.9, h.edges().get(10), 0.0);
        for (int i = 0; i < 10; i++) {
            assertEquals(4.3 + 0.36 * i, h.edges().get(i), EPS, "edge " + i);
        }
        // Each bin holds the values in [edges[i], edges[i+1]), the last bin its upper edge too.
        assertEquals(binByEdges(v, h.edges()), h.counts());
        // numpy.histogram(sepal_length, bins=10): the six values 6.1 sit on edge 5 and belong to bin 5.
        assertEquals(List.of(9L, 23L, 14L, 27L, 16L, 26L, 18L, 6L, 5L, 6L), h.counts());
    }

    /** numpy.histogram(column, bins=10) for each Iris column. */
    private static final List<List<Long>> NUMPY_HISTOGRAMS = List.of(
            List.of(9L, 23L, 14L, 27L, 16L, 26L, 18L, 6L, 5L, 6L),
            List.of(4L, 7L, 22L, 24L, 37L, 31L, 10L, 11L, 2L, 2L),
            List.of(37L, 13L, 0L, 3L, 8L, 26L, 29L, 18L, 11L, 5L),
            List.of(41L, 8L, 1L, 7L, 8L, 33L, 6L, 23L, 9L, 14L));

    @Test
    void everyIrisNumericColumnIsCompleteAndConsistent() throws Exception {
        Path file = iris();
        Dataset iris = Dataset.fromCsv(file);
        for (int c = 0; c < IRIS_NUMERIC.size(); c++) {
            String name = IRIS_NUMERIC.get(c);
            Dataset.ColumnProfile p = iris.profile().columns().get(name);
            double[] v = column(file, c);
            assertEquals(150, p.count(), name);
            assertEquals(0, p.missing(), name);
            assertEquals(java.util.Arrays.stream(v).min().orElseThrow(), p.min(), 0.0, name);
            assertEquals(java.util.Arrays.stream(v).max().orElseThrow(), p.max(), 0.0, name);
            assertEquals(java.util.Arrays.stream(v).average().orElseThrow(), p.mean(), EPS, name);
            assertEquals(binByEdges(v, p.histogram().edges()), p.histogram().counts(), name);
            assertEquals(NUMPY_HISTOGRAMS.get(c), p.histogram().counts(), name);
        }
    }

    @Test
    void customNameIsUsed() throws Exception {
        Dataset d = Dataset.fromCsv(iris(), "custom-name");
        assertEquals("custom-name", d.name());
        assertEquals(150, d.profile().rowCount());
    }

    // ---- quoting, line ends, BOM ------------------------------------------------------------------

    @Test
    void forEachCsvRowHandsOverTheDataRowsAsTheParserReadsThem() throws Exception {
        Path file = write("rows.csv", "text,value\r\n\"a,b\",1\r\n\"say \"\"hi\"\"\",NA\r\n\r\n\"two\nlines\",3");
        List<List<String>> rows = new ArrayList<>();
        Dataset.forEachCsvRow(file, rows::add);
        assertEquals(List.of(List.of("a,b", "1"), List.of("say \"hi\"", "NA"), List.of("two\nlines", "3")), rows);
        InvalidInputException missing = assertThrows(InvalidInputException.class,
                () -> Dataset.forEachCsvRow(file.resolveSibling("absent.csv"), rows::add));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        // A directory is the caller's mistake, not a store failure that a retry could cure.
        for (org.junit.jupiter.api.function.Executable read : List.<org.junit.jupiter.api.function.Executable>of(
                () -> Dataset.forEachCsvRow(file.getParent(), rows::add), () -> Dataset.fromCsv(file.getParent()))) {
            InvalidInputException directory = assertThrows(InvalidInputException.class, read);
            assertTrue(directory.getMessage().contains("is a directory"), directory.getMessage());
        }
    }

    @Test
    void quotedFieldsWithCommasDoubledQuotesAndNewlines() throws Exception {
        Path file = write("quoted.csv", "text,value,amount\n"
                + "\"a,b\",1,\"1.5\"\n"
                + "\"say \"\"hi\"\", ok\",2,\"2.5\"\n"
                + "\"line one\nline two, with comma\",3,\"3.5\"\n"
                + "plain,4,4.5\n");
        Dataset d = Dataset.fromCsv(file);
        assertEquals(4, d.profile().rowCount());
        assertEquals(List.of(new Dataset.Column("text", "string"), new Dataset.Column("value", "long"),
                new Dataset.Column("amount", "double")), d.schema());
        Dataset.ColumnProfile value = d.profile().columns().get("value");
        assertEquals(4, value.count());
        assertEquals(1.0, value.min(), 0.0);
        assertEquals(4.0, value.max(), 0.0);
        assertEquals(2.5, value.mean(), EPS);
        // Quotes around a number are not part of it.
        Dataset.ColumnProfile amount = d.profile().columns().get("amount");
        assertEquals(4, amount.count());
        assertEquals(3.0, amount.mean(), EPS);
        assertEquals(1.5, amount.min(), 0.0);
        assertFalse(d.profile().columns().containsKey("text"));
        assertEquals(sha256(Files.readAllBytes(file)), d.digest());
    }

    @Test
    void lineNumbersCountNewlinesInsideQuotedFields() throws Exception {
        // Line 1 header, lines 2-3 one record with an embedded newline, line 4 the bad record.
        Path file = write("multiline.csv", "text,value\n\"x\ny\",1\n1,2,3\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Dataset.fromCsv(file));
        assertTrue(e.getMessage().contains("line 4"), e.getMessage());
    }

    @Test
    void crlfLineEnds() throws Exception {
        Path file = write("crlf.csv", "a,b,c\r\n1,x,true\r\n2,\"y\r\nz\",false\r\n3,w,true\r\n");
        Dataset d = Dataset.fromCsv(file);
        assertEquals(3, d.profile().rowCount());
        // A kept \r would make the last column text rather than boolean, and "c" would be "c\r".
        assertEquals(List.of(new Dataset.Column("a", "long"), new Dataset.Column("b", "string"),
                new Dataset.Column("c", "boolean")), d.schema());
        Dataset.ColumnProfile a = d.profile().columns().get("a");
        assertEquals(3, a.count());
        assertEquals(2.0, a.mean(), EPS);
        assertEquals(sha256(Files.readAllBytes(file)), d.digest());
    }

    @Test
    void lfCrlfAndLoneCrLineEndsAndAnyMixOfThemEndRecords() throws Exception {
        // Old Mac files end lines with a lone CR: read as one line, the header was [a, b1, 23, 4].
        Map<String, String> files = new LinkedHashMap<>();
        files.put("lf.csv", "a,b\n1,2\n3,4\n5,6\n");
        files.put("crlf.csv", "a,b\r\n1,2\r\n3,4\r\n5,6\r\n");
        files.put("cr.csv", "a,b\r1,2\r3,4\r5,6\r");
        // CR, CRLF, LF, then LF followed by a lone CR (a blank line, skipped), no end at all.
        files.put("mixed.csv", "a,b\r1,2\r\n3,4\n\r5,6");
        for (Map.Entry<String, String> f : files.entrySet()) {
            Dataset d = Dataset.fromCsv(write(f.getKey(), f.getValue()));
            assertEquals(List.of(new Dataset.Column("a", "long"), new Dataset.Column("b", "long")), d.schema(), f.getKey());
            assertEquals(3, d.profile().rowCount(), f.getKey());
            assertEquals(3.0, d.profile().columns().get("a").mean(), 0.0, f.getKey());
            assertEquals(6.0, d.profile().columns().get("b").max(), 0.0, f.getKey());
        }
    }

    @Test
    void aCrInsideQuotesIsDataAndOutsideQuotesEndsTheRecord() throws Exception {
        Path quoted = write("quoted-cr.csv", "t,n\r\"x\ry\",1\r\"z\r\n\",2\r");
        List<List<String>> rows = new ArrayList<>();
        Dataset.forEachCsvRow(quoted, rows::add);
        assertEquals(List.of(List.of("x\ry", "1"), List.of("z\r\n", "2")), rows);
        assertEquals(2, Dataset.fromCsv(quoted).profile().rowCount());

        // Unquoted, "1\r2" was read as the number 12; now the CR ends a record of one field.
        Path unquoted = write("cr-in-field.csv", "a,b\n1\r2,3\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Dataset.fromCsv(unquoted));
        assertTrue(e.getMessage().contains("line 2: 1 fields where the header has 2"), e.getMessage());

        // Line numbers count a lone CR, inside quotes too, and a CRLF once.
        Path bad = write("cr-lines.csv", "a,b\r\"x\ry\",1\r\n\"p\r\nq\",2\r1,2,3\r");
        InvalidInputException e2 = assertThrows(InvalidInputException.class, () -> Dataset.fromCsv(bad));
        assertTrue(e2.getMessage().contains("line 6:"), e2.getMessage());
    }

    @Test
    void valuesNearTheLargestDoubleOfBothSignsStillHaveAFiniteProfile() throws Exception {
        Path file = write("huge.csv", "a\n1e308\n1e308\n-1e308\n");
        Dataset.ColumnProfile a = Dataset.fromCsv(file).profile().columns().get("a");
        assertEquals(1e308 / 3, a.mean(), 1e308 * 1e-12);
        assertEquals(Math.sqrt(4.0 / 3) * 1e308, a.std(), 1e308 * 1e-12);
        assertEquals(-1e308, a.histogram().edges().get(0), 0.0);
        assertEquals(1e308, a.histogram().edges().get(10), 0.0);
        assertTrue(a.histogram().edges().stream().allMatch(Double::isFinite), a.histogram().edges()::toString);
        assertEquals(List.of(1L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 2L), a.histogram().counts());
    }

    @Test
    void theStdIsInfiniteOnlyWhenTheTrueOneIsBeyondADouble() throws Exception {
        // The sample std of ±1.7e308 is 1.7e308·√2, past Double.MAX_VALUE: Infinity is the true
        // value rounded, as the docs say; everything else stays finite.
        Dataset.ColumnProfile two = Dataset.fromCsv(write("pm.csv", "a\n1.7e308\n-1.7e308\n")).profile().columns().get("a");
        assertEquals(Double.POSITIVE_INFINITY, two.std(), 0.0);
        assertEquals(0.0, two.mean(), 0.0);
        assertEquals(List.of(-1.7e308, 1.7e308), List.of(two.min(), two.max()));
        assertTrue(two.histogram().edges().stream().allMatch(Double::isFinite), two.histogram().edges()::toString);
        assertEquals(List.of(1L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 1L), two.histogram().counts());
        // With a 0 between them the true std is 1.7e308, representable, and so is the result.
        String max = Double.toString(Double.MAX_VALUE);
        Dataset.ColumnProfile three = Dataset.fromCsv(write("pm0.csv", "a\n1.7e308\n0\n-1.7e308\n")).profile().columns().get("a");
        assertEquals(1.7e308, three.std(), 1.7e308 * 1e-12);
        Dataset.ColumnProfile extremes = Dataset.fromCsv(write("max.csv", "a\n" + max + "\n-" + max + "\n0\n"))
                .profile().columns().get("a");
        assertEquals(Double.MAX_VALUE, extremes.std(), Double.MAX_VALUE * 1e-12);
        assertEquals(0.0, extremes.mean(), 0.0);
    }

    @Test
    void twoColumnsOfOneNameAreRefusedNamingThem() throws Exception {
        Path file = write("twice.csv", "\n\na,b,a\n1,2,3\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Dataset.fromCsv(file));
        assertTrue(e.getMessage().contains("twice.csv, line 3: names two columns 'a' (columns 1 and 3)"), e.getMessage());
    }

    @Test
    void columnNamesAreComparedExactlyAsWrittenSoCaseAndSpacesMakeThemDifferent() throws Exception {
        // As the README says: only the same string twice is refused; the names are not trimmed.
        Dataset d = Dataset.fromCsv(write("alike.csv", "a,A,a ,\" a\"\n1,2,3,4\n"));
        assertEquals(List.of("a", "A", "a ", " a"), d.schema().stream().map(Dataset.Column::name).toList());
        assertEquals(4.0, d.profile().columns().get(" a").mean(), 0.0);
        assertEquals(3.0, d.profile().columns().get("a ").mean(), 0.0);
    }

    @Test
    void crlfLastNumericColumnIsNumeric() throws Exception {
        Path file = write("crlf-num.csv", "name,x\r\na,1\r\nb,2\r\nc,6\r\n");
        Dataset d = Dataset.fromCsv(file);
        assertEquals(List.of(new Dataset.Column("name", "string"), new Dataset.Column("x", "long")), d.schema());
        assertEquals(3.0, d.profile().columns().get("x").mean(), EPS);
        assertEquals(6.0, d.profile().columns().get("x").max(), 0.0);
    }

    @Test
    void utf8ByteOrderMarkIsNotPartOfTheFirstColumnName() throws Exception {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = "id,score\n1,0.5\n2,1.5\n".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, bytes, 0, bom.length);
        System.arraycopy(body, 0, bytes, bom.length, body.length);
        Path file = dir.resolve("bom.csv");
        Files.write(file, bytes);

        Dataset d = Dataset.fromCsv(file);
        assertEquals(List.of(new Dataset.Column("id", "long"), new Dataset.Column("score", "double")), d.schema());
        assertTrue(d.profile().columns().containsKey("id"), d.profile().columns().keySet().toString());
        assertEquals(1.5, d.profile().columns().get("id").mean(), EPS);
        // The digest covers the whole file, BOM included.
        assertEquals(sha256(bytes), d.digest());
    }

    // ---- missing values and types -------------------------------------------------------------

    @Test
    void emptyNaAndNanCountAsMissing() throws Exception {
        Path file = write("missing.csv", "k,x,y\n"
                + "a,1,2.5\n"
                + "b,,NA\n"
                + "c,NA,NaN\n"
                + "d,NaN,\n"
                + "e,3,4.5\n");
        Dataset d = Dataset.fromCsv(file);
        assertEquals(5, d.profile().rowCount());
        assertEquals("long", type(d, "x"));
        assertEquals("double", type(d, "y"));
        Dataset.ColumnProfile x = d.profile().columns().get("x");
        assertEquals(2, x.count());
        assertEquals(3, x.missing());
        assertEquals(1.0, x.min(), 0.0);
        assertEquals(3.0, x.max(), 0.0);
        assertEquals(2.0, x.mean(), EPS);
        assertEquals(Math.sqrt(2.0), x.std(), EPS);
        assertEquals(2L, x.histogram().counts().stream().mapToLong(Long::longValue).sum());
        Dataset.ColumnProfile y = d.profile().columns().get("y");
        assertEquals(2, y.count());
        assertEquals(3, y.missing());
        assertEquals(3.5, y.mean(), EPS);
    }

    @Test
    void everySpellingOfNanCountsAsMissingNotAsAValue() throws Exception {
        // Double.parseDouble reads "-NaN" and " NaN" as NaN: counted as values, they made min, max,
        // mean and the histogram edges NaN.
        for (String cell : List.of("-NaN", " NaN")) {
            Dataset.ColumnProfile p = Dataset.fromCsv(write("one-nan.csv", "a\n1\n2\n" + cell + "\n"))
                    .profile().columns().get("a");
            assertEquals(List.of(2L, 1L, 1.5), List.of(p.count(), p.missing(), p.mean()), cell);
        }
        Path file = write("nan.csv", "a,b\n1,1\n2,2\n-NaN,3\n NaN,4\nnan,5\n+NAN\t,6\n");
        Dataset d = Dataset.fromCsv(file);
        assertEquals("long", type(d, "a"));
        Dataset.ColumnProfile a = d.profile().columns().get("a");
        assertEquals(2, a.count());
        assertEquals(4, a.missing());
        assertEquals(1.0, a.min(), 0.0);
        assertEquals(2.0, a.max(), 0.0);
        assertEquals(1.5, a.mean(), 0.0);
        assertEquals(Math.sqrt(0.5), a.std(), EPS);
        assertTrue(a.histogram().edges().stream().allMatch(Double::isFinite), a.histogram().edges()::toString);
        assertEquals(2L, a.histogram().counts().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void onlyPlainDecimalNumbersMakeAColumnNumeric() throws Exception {
        // Java's own number syntax, infinities, values beyond a double, and malformed numbers are
        // text: each makes its column a string column, without a profile.
        List<String> notNumbers = List.of("1d", "2f", "3D", "0x1p3", "0x10", "Infinity", "-Infinity", "inf", "1e400",
                "-1e400", "1e", "1e+", "+", "-", ".", "1.2.3", "1_000", "1,5", "\u0661", "1 2", "--1", "e5");
        for (String cell : notNumbers) {
            Dataset d = Dataset.fromCsv(write("text.csv", "a\n1\n\"" + cell + "\"\n2.5\n"));
            assertEquals("string", type(d, "a"), cell);
            assertFalse(d.profile().columns().containsKey("a"), cell);
        }
        Dataset d = Dataset.fromCsv(write("numbers.csv", "l,d,big\n+1,.5,9223372036854775807\n-2,3.,9223372036854775808\n"
                + "007,1e3,1\n10,2.5E-1,2\n-0,-1.5e+1,3\n"));
        assertEquals(List.of(new Dataset.Column("l", "long"), new Dataset.Column("d", "double"),
                new Dataset.Column("big", "double")), d.schema());
        assertEquals(16.0 / 5, d.profile().columns().get("l").mean(), EPS);
        assertEquals((0.5 + 3 + 1000 + 0.25 - 15) / 5, d.profile().columns().get("d").mean(), EPS);
        assertEquals(-15.0, d.profile().columns().get("d").min(), 0.0);
    }

    @Test
    void spacesAndTabsAroundACellAreIgnoredForEveryType() throws Exception {
        Path file = write("spaces.csv", "n,x,flag\n 1,1.5 ,true\n2 ,\t2.5, FALSE\n\t3\t,   ,True \n\" 4 \",NA ,\t\n");
        Dataset d = Dataset.fromCsv(file);
        // " 1" made a long column double; the profile holds the same values either way.
        assertEquals(List.of(new Dataset.Column("n", "long"), new Dataset.Column("x", "double"),
                new Dataset.Column("flag", "boolean")), d.schema());
        Dataset.ColumnProfile n = d.profile().columns().get("n");
        assertEquals(4, n.count());
        assertEquals(2.5, n.mean(), 0.0);
        assertEquals(4.0, n.max(), 0.0);
        Dataset.ColumnProfile x = d.profile().columns().get("x");
        assertEquals(2, x.count());
        assertEquals(2, x.missing());
        assertEquals(2.0, x.mean(), 0.0);
    }

    @Test
    void columnTypesAreInferred() throws Exception {
        Path file = write("types.csv", "ints,mixed,flags,text,negatives\n"
                + "1,1,true,hello,-5\n"
                + "20,2.5,false,42,-7\n"
                + "300,3,TRUE,x y,0\n");
        Dataset d = Dataset.fromCsv(file);
        assertEquals(List.of(new Dataset.Column("ints", "long"), new Dataset.Column("mixed", "double"),
                new Dataset.Column("flags", "boolean"), new Dataset.Column("text", "string"),
                new Dataset.Column("negatives", "long")), d.schema());
        // Numeric columns are profiled; booleans and text are not.
        assertEquals(Set.of("ints", "mixed", "negatives"), d.profile().columns().keySet());
        Dataset.ColumnProfile mixed = d.profile().columns().get("mixed");
        assertEquals(3, mixed.count());
        assertEquals(6.5 / 3, mixed.mean(), EPS);
        assertEquals(-4.0, d.profile().columns().get("negatives").mean(), EPS);
        assertEquals(107.0, d.profile().columns().get("ints").mean(), EPS);
    }

    @Test
    void aColumnWithOnlyMissingValuesIsAStringWithoutProfile() throws Exception {
        Path file = write("allmissing.csv", "a,b\n1,\n2,NA\n");
        Dataset d = Dataset.fromCsv(file);
        assertEquals(List.of(new Dataset.Column("a", "long"), new Dataset.Column("b", "string")), d.schema());
        assertEquals(Set.of("a"), d.profile().columns().keySet());
    }

    @Test
    void headerOnlyFileHasNoRows() throws Exception {
        Path file = write("header.csv", "a,b\n");
        Dataset d = Dataset.fromCsv(file);
        assertEquals(0, d.profile().rowCount());
        assertEquals(List.of("a", "b"), d.schema().stream().map(Dataset.Column::name).toList());
        assertTrue(d.profile().columns().isEmpty());
    }

    // ---- single values, constants ---------------------------------------------------------------

    @Test
    void aColumnWithOneValueHasNaNStd() throws Exception {
        Path file = write("one.csv", "x,y\n7.25,1\n");
        Dataset.ColumnProfile x = Dataset.fromCsv(file).profile().columns().get("x");
        assertEquals(1, x.count());
        assertEquals(0, x.missing());
        assertEquals(7.25, x.min(), 0.0);
        assertEquals(7.25, x.max(), 0.0);
        assertEquals(7.25, x.mean(), 0.0);
        assertTrue(Double.isNaN(x.std()), "std of one value: " + x.std());
        assertEquals(1L, x.histogram().counts().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void aConstantColumnPutsEveryValueInOneBin() throws Exception {
        Path file = write("constant.csv", "c,k\n5,a\n5,b\n5,c\n5,d\n");
        Dataset.ColumnProfile c = Dataset.fromCsv(file).profile().columns().get("c");
        assertEquals(4, c.count());
        assertEquals(5.0, c.min(), 0.0);
        assertEquals(5.0, c.max(), 0.0);
        assertEquals(5.0, c.mean(), 0.0);
        assertEquals(0.0, c.std(), 0.0);
        List<Long> counts = c.histogram().counts();
        assertEquals(10, counts.size());
        assertEquals(1, counts.stream().filter(n -> n > 0).count(), "bins: " + counts);
        assertEquals(4L, counts.stream().mapToLong(Long::longValue).max().orElseThrow());
        assertEquals(4L, counts.stream().mapToLong(Long::longValue).sum());
    }

    // ---- malformed files ------------------------------------------------------------------------

    @Test
    void aRowWithTheWrongNumberOfFieldsNamesItsLine() throws Exception {
        Path file = write("short.csv", "a,b,c\n1,2,3\n4,5\n6,7,8\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Dataset.fromCsv(file));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());

        Path longer = write("long.csv", "a,b\n1,2\n3,4\n5,6\n7,8,9\n");
        InvalidInputException e2 = assertThrows(InvalidInputException.class, () -> Dataset.fromCsv(longer));
        assertTrue(e2.getMessage().contains("line 5"), e2.getMessage());
    }

    @Test
    void anUnclosedQuoteIsRefused() throws Exception {
        Path file = write("unclosed.csv", "a,b\n1,2\n3,\"never closed\n4,5\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Dataset.fromCsv(file));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
    }

    @Test
    void anEmptyFileIsRefused() throws Exception {
        Path file = write("empty.csv", "");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Dataset.fromCsv(file));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void aMissingFileIsRefused() {
        Path file = dir.resolve("no-such-file.csv");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Dataset.fromCsv(file));
        assertTrue(e.getMessage().contains("no-such-file.csv"), e.getMessage());
    }

    // ---- helpers --------------------------------------------------------------------------------

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private static String type(Dataset d, String column) {
        return d.schema().stream().filter(c -> c.name().equals(column)).findFirst().orElseThrow().type();
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** Column {@code index} of a simple (unquoted) CSV file, parsed here without CsvDatasets. */
    private static double[] column(Path file, int index) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Double> values = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isBlank()) {
                values.add(Double.parseDouble(line.split(",")[index]));
            }
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Counts values per bin by the documented rule: [edges[i], edges[i+1]), the last bin closed. */
    private static List<Long> binByEdges(double[] values, List<Double> edges) {
        int bins = edges.size() - 1;
        long[] counts = new long[bins];
        for (double v : values) {
            for (int i = 0; i < bins; i++) {
                boolean last = i == bins - 1;
                if (v >= edges.get(i) && (v < edges.get(i + 1) || (last && v <= edges.get(i + 1)))) {
                    counts[i]++;
                    break;
                }
            }
        }
        List<Long> result = new ArrayList<>();
        for (long c : counts) {
            result.add(c);
        }
        return result;
    }
}
