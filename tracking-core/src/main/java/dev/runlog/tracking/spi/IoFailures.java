package dev.runlog.tracking.spi;

import dev.runlog.tracking.StoreException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Store failures for file operations that say what the operating system said: "No space left on
 * device", "Permission denied", "File name too long", and on which file. The JDK keeps that reason
 * apart ({@link FileSystemException#getReason()}), so wrapping an exception with only our own text
 * would lose the one thing a user can act on.
 */
public final class IoFailures {
    private IoFailures() {
    }

    /** A {@link StoreException} reading "{@code action}: reason (file)". */
    public static StoreException storeFailure(String action, IOException e) {
        InputRules.notNull("action", action);
        InputRules.notNull("e", e);
        return new StoreException(action + ": " + reason(e), e);
    }

    /** The operating system's reason and the file(s) involved, as one phrase. */
    static String reason(IOException e) {
        if (e instanceof FileSystemException fs) {
            String reason = fs.getReason() != null ? fs.getReason() : defaultReason(fs);
            String files = fs.getFile() == null ? "" : " (" + fs.getFile()
                    + (fs.getOtherFile() != null ? " -> " + fs.getOtherFile() : "") + ")";
            return reason + files;
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    // The JDK leaves the reason out when the exception's type says it; spell it out the OS's way.
    private static String defaultReason(FileSystemException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "Not a directory";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "Directory not empty";
        }
        return e.getClass().getSimpleName();
    }
}
