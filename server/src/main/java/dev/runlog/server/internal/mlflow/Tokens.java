package dev.runlog.server.internal.mlflow;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Page tokens of the listings Runlog's API returns whole (a metric's history, registry searches):
 * the offset of the next page, opaque to the client as MLflow's tokens are. Run and experiment
 * searches pass Runlog's own keyset tokens through instead.
 */
final class Tokens {
    private static final String PREFIX = "runlog-offset:";

    private Tokens() {
    }

    static String of(int offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((PREFIX + offset).getBytes(StandardCharsets.UTF_8));
    }

    /** The offset a token names; 0 for the empty token (the first page). */
    static int offset(String token) {
        if (token.isEmpty()) {
            return 0;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (text.startsWith(PREFIX)) {
                int offset = Integer.parseInt(text.substring(PREFIX.length()));
                if (offset >= 0) {
                    return offset;
                }
            }
        } catch (IllegalArgumentException e) {
            // Not base64 or not a number: refused below like any other foreign token.
        }
        throw MlflowException.invalid("Invalid page token '" + token + "': it is not one this server gave");
    }
}
