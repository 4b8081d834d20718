package dev.runlog.registry.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.registry.Stage;
import dev.runlog.tracking.InvalidInputException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** models:/ URIs parse into one reference each, and a malformed one is refused with what is wrong and what is expected. */
class ModelsUriTest {

    @Test
    @DisplayName("a version, a stage in any case, an alias and latest each parse, and print back in their usual form")
    void forms() {
        assertEquals(new ModelsUri("iris", 3, null, null, false), ModelsUri.parse("models:/iris/3"));
        assertEquals(new ModelsUri("iris", 0, Stage.PRODUCTION, null, false), ModelsUri.parse("models:/iris/production"));
        assertEquals(new ModelsUri("iris", 0, null, "champion", false), ModelsUri.parse("models:/iris@champion"));
        assertEquals(new ModelsUri("iris", 0, null, null, true), ModelsUri.parse("models:/iris/LATEST"));
        for (String uri : new String[] {"models:/iris/3", "models:/iris@champion", "models:/iris/latest"}) {
            assertEquals(uri, ModelsUri.parse(uri).toString());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "runs:/abc/model | it does not start with 'models:/'",
            "models:/iris | it names no version, stage, alias or 'latest'",
            "models:/iris@ | the alias after '@' is empty",
            "models:/@champion | the model name is empty",
            "models:/iris/3/x | expected exactly one segment after the model name",
            "models:/iris/99999999999 | version 99999999999 is out of range",
            "models:/iris/Prod | 'Prod' is not a version number, a stage"})
    @DisplayName("a malformed URI fails with InvalidInputException saying why and listing the forms")
    void malformed(String uri, String why) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ModelsUri.parse(uri));
        assertTrue(e.getMessage().contains("'" + uri + "' is malformed: " + why), e::getMessage);
        assertTrue(e.getMessage().contains("models:/<name>@<alias>"), e::getMessage);
    }
}
