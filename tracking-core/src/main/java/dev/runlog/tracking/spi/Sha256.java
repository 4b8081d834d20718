package dev.runlog.tracking.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 as Runlog records it everywhere (artifacts, datasets, model payloads and descriptors,
 * page tokens): 64 lowercase hex characters. The JDK does the hashing; this only spells it once.
 * Published so that a store records artifact digests exactly as the tracker and the kits expect.
 *
 * <pre>{@code
 * String digest = Sha256.of("hello");   // 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824
 * }</pre>
 */
public final class Sha256 {
    private static final HexFormat HEX = HexFormat.of();

    private Sha256() {
    }

    /** A fresh SHA-256 digest, for callers that feed it piece by piece. */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java SE platform must provide SHA-256; a JDK without it is broken.
            throw new IllegalStateException("this JDK provides no SHA-256 MessageDigest", e);
        }
    }

    /** The hex of what {@code digest} has taken so far; resets it. */
    public static String hex(MessageDigest digest) {
        return HEX.formatHex(InputRules.notNull("digest", digest).digest());
    }

    /** The SHA-256 of {@code bytes}. */
    public static String of(byte[] bytes) {
        return HEX.formatHex(newDigest().digest(InputRules.notNull("bytes", bytes)));
    }

    /** The SHA-256 of {@code text} encoded as UTF-8. */
    public static String of(String text) {
        return of(InputRules.notNull("text", text).getBytes(StandardCharsets.UTF_8));
    }

    /** The SHA-256 of a file's bytes, streamed: the file is never held in memory. */
    public static String of(Path file) throws IOException {
        try (DigestInputStream in = hashing(Files.newInputStream(InputRules.notNull("file", file)))) {
            in.transferTo(OutputStream.nullOutputStream());
            return hex(in);
        }
    }

    /** {@code in}, hashing every byte read through it; {@link #hex(DigestInputStream)} gives the result. */
    public static DigestInputStream hashing(InputStream in) {
        return new DigestInputStream(InputRules.notNull("in", in), newDigest());
    }

    /** The hex of the bytes read through {@code in} so far; resets its digest. */
    public static String hex(DigestInputStream in) {
        return hex(InputRules.notNull("in", in).getMessageDigest());
    }
}
