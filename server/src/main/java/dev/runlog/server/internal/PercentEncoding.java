package dev.runlog.server.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict %-decoding of what clients put in URLs. {@link java.net.URLDecoder} turns bytes that are
 * no UTF-8 into U+FFFD, so a name nobody wrote would be looked up, stored or compared; here they
 * are refused, as a JSON body with such bytes is.
 */
public final class PercentEncoding {
    private PercentEncoding() {
    }

    /**
     * The text {@code raw} encodes, {@code %XX} read as bytes of UTF-8 and, if {@code plusIsSpace}
     * (query strings), {@code +} as a space.
     *
     * @throws IllegalArgumentException whose message says what is wrong, to follow the name of what
     *                                  was decoded: "has bad percent-encoding" (a {@code %} not
     *                                  followed by two hex digits) or "is not %-encoded UTF-8"
     */
    public static String decode(String raw, boolean plusIsSpace) {
        if (raw.indexOf('%') < 0 && !(plusIsSpace && raw.indexOf('+') >= 0)) {
            return raw;
        }
        byte[] utf8 = raw.getBytes(StandardCharsets.UTF_8);
        ByteBuffer bytes = ByteBuffer.allocate(utf8.length);
        for (int i = 0; i < utf8.length; i++) {
            if (plusIsSpace && utf8[i] == '+') {
                bytes.put((byte) ' ');
            } else if (utf8[i] != '%') {
                bytes.put(utf8[i]);
            } else if (i + 2 >= utf8.length || Character.digit(utf8[i + 1], 16) < 0 || Character.digit(utf8[i + 2], 16) < 0) {
                throw new IllegalArgumentException("has bad percent-encoding");
            } else {
                bytes.put((byte) (Character.digit(utf8[i + 1], 16) * 16 + Character.digit(utf8[i + 2], 16)));
                i += 2;
            }
        }
        bytes.flip();
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("is not %-encoded UTF-8");
        }
    }
}
