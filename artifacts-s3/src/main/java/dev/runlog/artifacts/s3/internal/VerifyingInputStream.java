package dev.runlog.artifacts.s3.internal;

import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.spi.Sha256;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * An object's bytes, hashed as they are read; reaching the end with a SHA-256 other than the one
 * recorded at upload throws {@link IntegrityException}, so an object changed behind the store's back
 * is never read to its end as if it were the artifact.
 */
public final class VerifyingInputStream extends FilterInputStream {
    private final MessageDigest digest = Sha256.newDigest();
    private final String expected;
    private final String object;
    private boolean checked;

    public VerifyingInputStream(InputStream in, String expectedSha256, String object) {
        super(in);
        this.expected = expectedSha256;
        this.object = object;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b < 0) {
            verify();
        } else {
            digest.update((byte) b);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n < 0) {
            verify();
        } else {
            digest.update(buffer, offset, n);
        }
        return n;
    }

    /** Skipped bytes are read, so that they are hashed too. */
    @Override
    public long skip(long n) throws IOException {
        byte[] scratch = new byte[8192];
        long skipped = 0;
        while (skipped < n) {
            int read = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (read < 0) {
                break;
            }
            skipped += read;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readlimit) {
        // Not supported: a reset would hash bytes twice.
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }

    private void verify() {
        if (checked) {
            return;
        }
        checked = true;
        String actual = Sha256.hex(digest);
        if (!actual.equals(expected)) {
            throw new IntegrityException("S3 object " + object + " has SHA-256 " + actual + " but " + expected
                    + " was recorded when it was stored: it was changed behind Runlog's back");
        }
    }
}
