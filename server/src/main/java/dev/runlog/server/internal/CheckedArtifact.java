package dev.runlog.server.internal;

import dev.runlog.tracking.spi.ProcessOwner;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An artifact read to its end, and so checked against what its store recorded (the tracker's
 * {@code openArtifact} checks as the stream ends), before a byte of it is sent: sent as it is
 * read, a file changed behind Runlog's back reached the client whole, with a 200, since the check
 * fails only after the last byte. Up to {@value #IN_MEMORY} bytes are held in memory, a larger
 * file in a temporary file deleted on {@link #close()}. That file's name carries this process's
 * {@link ProcessOwner#nameTag() tag}, so that one a killed server left is deleted by the next
 * large download on this machine.
 */
public final class CheckedArtifact implements AutoCloseable {
    static final int IN_MEMORY = 8 * 1024 * 1024;
    static final String PREFIX = "runlog-download-";

    private final byte[] bytes;
    private final Path file;
    private final long size;

    private CheckedArtifact(byte[] bytes, Path file, long size) {
        this.bytes = bytes;
        this.file = file;
        this.size = size;
    }

    /** Reads {@code in} to its end and closes it; its check, if it fails, is thrown here. */
    public static CheckedArtifact read(InputStream in) throws IOException {
        try (in) {
            // One byte more than is kept in memory: fewer came only if the stream ended, and so was checked.
            byte[] first = in.readNBytes(IN_MEMORY + 1);
            if (first.length <= IN_MEMORY) {
                return new CheckedArtifact(first, null, first.length);
            }
            Path file = Files.createTempFile(PREFIX + ProcessOwner.current().nameTag() + "-", ".part");
            // Listing the directory costs little beside a download of more than IN_MEMORY bytes.
            ProcessOwner.deleteFilesOfGoneOwners(file.getParent(), PREFIX, ".part");
            try (OutputStream out = Files.newOutputStream(file)) {
                out.write(first);
                long size = first.length + in.transferTo(out);
                return new CheckedArtifact(null, file, size);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(file);
                throw e;
            }
        }
    }

    /** The content's length in bytes. */
    public long size() {
        return size;
    }

    /** The content, from its start. */
    public InputStream open() throws IOException {
        return bytes != null ? new ByteArrayInputStream(bytes) : Files.newInputStream(file);
    }

    @Override
    public void close() throws IOException {
        if (file != null) {
            Files.deleteIfExists(file);
        }
    }
}
