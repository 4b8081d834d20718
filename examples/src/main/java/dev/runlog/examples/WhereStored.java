package dev.runlog.examples;

/**
 * The closing line of an example's {@code main}: where what it logged is kept. A {@code memory:}
 * store is gone once its tracker closes, so for it the line says that instead of offering to show
 * or extend a store nobody can open again.
 */
final class WhereStored {
    private WhereStored() {
    }

    /**
     * @param uri   the store the example ran on
     * @param what  what it logged, such as "runs and registry"
     * @param after what to say after the location for a store that outlives the process; may be empty
     */
    static String line(String uri, String what, String after) {
        if (uri.startsWith("memory:")) {
            return what + " were kept in memory only and went with the tracker; give a sqlite: URI to keep them";
        }
        return what + " stored in " + uri + after;
    }

    static boolean lasts(String uri) {
        return !uri.startsWith("memory:");
    }
}
