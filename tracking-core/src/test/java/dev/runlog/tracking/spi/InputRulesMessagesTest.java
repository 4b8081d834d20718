package dev.runlog.tracking.spi;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.InvalidInputException;
import org.junit.jupiter.api.Test;

/** What a refusal quotes of the input: never half a character, whatever it cuts. */
class InputRulesMessagesTest {
    @Test
    void aLongKeyOfSupplementaryLettersIsQuotedWithoutALoneSurrogate() {
        String key = "\uD801\uDC00".repeat(126); // 252 UTF-16 units: over the 250 limit
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> InputRules.key("param", key));
        String message = e.getMessage();
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (Character.isHighSurrogate(c)) {
                assertTrue(i + 1 < message.length() && Character.isLowSurrogate(message.charAt(i + 1)),
                        "a lone high surrogate at " + i + ": " + message);
                i++;
            } else {
                assertTrue(!Character.isLowSurrogate(c), "a lone low surrogate at " + i + ": " + message);
            }
        }
    }
}
