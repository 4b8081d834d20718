package dev.runlog.tracking;

/**
 * Stored or imported data failed a safety or integrity check: a model payload file whose SHA-256
 * no longer matches its descriptor or is missing, a registered model version whose descriptor no
 * longer has the SHA-256 recorded at registration, a serialized stream beyond the loader's limits, an archive
 * entry that would land outside its target, a link or device file in an archive, an archive larger
 * than the limit. The message names the file or entry. Do not retry: the data itself is suspect.
 * (A serialized class the loader does not allow is a {@link ClassNotAllowedException}: a policy
 * decision, not damage.)
 */
public class IntegrityException extends RunlogException {
    private static final long serialVersionUID = 1L;

    public IntegrityException(String message) {
        super(message);
    }

    public IntegrityException(String message, Throwable cause) {
        super(message, cause);
    }
}
