package dev.runlog.tracking.internal;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** The ids a tracker gives new runs: 32 lowercase hex digits, as MLflow's run ids are. */
final class RunIds {
    private RunIds() {
    }

    /** 128 random bits. */
    static String random() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * {@code count} ids for one batch: consecutive numbers after one random 96-bit prefix, still
     * unique, so that rows keyed by run id land side by side in every index instead of one page
     * each, which is most of a big import's cost in SQLite.
     */
    static List<String> consecutive(int count) {
        String prefix = random().substring(0, 24);
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(prefix + HexFormat.of().toHexDigits(i));
        }
        return List.copyOf(ids);
    }
}
