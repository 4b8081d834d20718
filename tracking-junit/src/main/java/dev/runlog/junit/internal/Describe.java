package dev.runlog.junit.internal;

import dev.runlog.tracking.DatasetInput;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.Run;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/** How assertion messages show runs, maps, inputs and metric series: short, sorted, the same every time. */
public final class Describe {
    /** The most points of a series a message lists; longer series show their head and tail. */
    static final int MAX_POINTS = 20;
    /** The prefix of the tags every run gets from Runlog itself. */
    public static final String SYSTEM_TAG_PREFIX = "runlog.";

    private Describe() {
    }

    /** {@code run 'vivid-wren-629' (3f2a...)}, with the whole id. */
    public static String run(Run run) {
        return "run '" + run.info().name() + "' (" + run.info().id() + ")";
    }

    /** A map sorted by key: {@code {epochs=10, lr=0.01}}. */
    public static String map(Map<String, ?> map) {
        return new TreeMap<>(map).toString();
    }

    /**
     * The tags worth showing when {@code askedKey} was looked for: the user's tags, plus Runlog's
     * own {@code runlog.*} tags only when the asked key is one of them, with a count of those left out.
     */
    public static String tags(Map<String, String> tags, String askedKey) {
        if (askedKey.startsWith(SYSTEM_TAG_PREFIX)) {
            return map(tags);
        }
        TreeMap<String, String> shown = new TreeMap<>();
        int hidden = 0;
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (tag.getKey().startsWith(SYSTEM_TAG_PREFIX)) {
                hidden++;
            } else {
                shown.put(tag.getKey(), tag.getValue());
            }
        }
        return shown + (hidden == 0 ? "" : " besides " + hidden + " runlog.* system tag" + (hidden == 1 ? "" : "s"));
    }

    /** {@code [iris (training), wine (test)]}: each dataset's name and the role it played. */
    public static String inputs(List<DatasetInput> inputs) {
        StringJoiner joined = new StringJoiner(", ", "[", "]");
        inputs.forEach(input -> joined.add(input.dataset().name() + " (" + input.context() + ")"));
        return joined.toString();
    }

    /** {@code 0.5 (step 3)}. */
    public static String point(Metric point) {
        return point.value() + " (step " + point.step() + ")";
    }

    /**
     * {@code [0.9 (step 0), 0.5 (step 1)]}; a series longer than {@value #MAX_POINTS} points shows
     * its first and last ten around {@code ...}.
     */
    public static String series(List<Metric> points) {
        StringJoiner joined = new StringJoiner(", ", "[", "]");
        int size = points.size();
        for (int i = 0; i < size; i++) {
            if (size > MAX_POINTS && i == MAX_POINTS / 2) {
                joined.add("... " + (size - MAX_POINTS) + " more ...");
                i = size - MAX_POINTS / 2;
            }
            joined.add(point(points.get(i)));
        }
        return joined.toString();
    }
}
