package dev.runlog.mlflow.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runlog.tracking.InvalidInputException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Scalars as MLflow's file store writes them. {@code pyyaml-scalars.json} holds 342 values, each
 * with what PyYAML 6.0.3's {@code yaml.dump(..., Dumper=SafeDumper, default_flow_style=False)}
 * wrote for it (with and without {@code allow_unicode}, which MLflow's {@code write_yaml} sets) and
 * what {@code yaml.safe_load} reads back: multi-line descriptions, quotes, escapes, NEL, LS, PS,
 * control characters, long values folded over lines.
 */
class FlatYamlTest {
    @Test
    void everyScalarPyYamlWritesReadsAsPyYamlReadsIt() throws Exception {
        JsonNode cases;
        try (InputStream in = FlatYamlTest.class.getResourceAsStream("/pyyaml-scalars.json")) {
            cases = new ObjectMapper().readTree(in);
        }
        List<String> wrong = new ArrayList<>();
        for (JsonNode c : cases) {
            String yaml = c.get("yaml").asText();
            String expected = c.get("value").asText();
            String read;
            try {
                read = FlatYaml.parse(Path.of("meta.yaml"), yaml).get("description").orElse("");
            } catch (InvalidInputException e) {
                read = "refused: " + e.getMessage();
            }
            if (!expected.equals(read)) {
                wrong.add(yaml + " read as " + read);
            }
        }
        assertEquals(342, cases.size());
        assertEquals(List.of(), wrong);
    }

    @Test
    void aQuotedValueNeverClosedIsStillRefusedNamingTheLine() {
        InvalidInputException open = assertThrows(InvalidInputException.class,
                () -> FlatYaml.parse(Path.of("meta.yaml"), "name: x\ndescription: 'one\n\n  two\nuser_id: u\n"));
        assertTrue(open.getMessage().contains("line 2 has an unterminated or malformed single-quoted string"), open.getMessage());
        InvalidInputException escape = assertThrows(InvalidInputException.class,
                () -> FlatYaml.parse(Path.of("meta.yaml"), "name: \"a\\qb\"\n"));
        assertTrue(escape.getMessage().contains("unknown escape \\q"), escape.getMessage());
        // PyYAML would read "a" (the rest a comment) where a plain reader reads all of it: refused instead.
        InvalidInputException comment = assertThrows(InvalidInputException.class,
                () -> FlatYaml.parse(Path.of("meta.yaml"), "run_name: a # comment\n"));
        assertTrue(comment.getMessage().contains("line 1 has a comment after its value"), comment.getMessage());
    }
}
