package dev.runlog.tracking;

import dev.runlog.tracking.spi.InputRules;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run that already happened, for {@link Tracker#recordRuns}: an import from another tracker, or
 * a sweep computed elsewhere. Immutable; the constructor checks every field under the same rules
 * as a live run's calls and names what is wrong.
 *
 * <pre>{@code
 * new RunRecord("lr=0.1", RunStatus.FINISHED, start, end,
 *         Map.of("lr", "0.1"), Map.of("team", "vision"),
 *         List.of(new Metric("loss", 0.25, 10, end.toEpochMilli())));
 * }</pre>
 *
 * @param name      the run name
 * @param status    how it ended: FINISHED, FAILED or KILLED
 * @param startTime when it started; kept to the millisecond, as every store keeps times
 * @param endTime   when it ended, not before {@code startTime}; kept to the millisecond
 * @param params    its params (param key and value rules)
 * @param tags      its tags, stored as given: no system tags are added
 * @param metrics   its metric points, any number per key, in any order (metric key rules)
 */
public record RunRecord(String name, RunStatus status, Instant startTime, Instant endTime,
                        Map<String, String> params, Map<String, String> tags, List<Metric> metrics) {
    /**
     * @throws InvalidInputException if an argument is null, a name, key or value breaks its rule,
     *                               the status is not an ended one, the run ends before it starts,
     *                               or a time is not one of epoch milliseconds (beyond some 292
     *                               million years)
     */
    public RunRecord {
        InputRules.name("run", name);
        try {
            InputRules.notNull("status", status);
            InputRules.notNull("startTime", startTime);
            // The status first: a RUNNING record has no end time, and the status is what is wrong with it.
            if (status.isActive()) {
                throw new InvalidInputException("Run '" + name + "': a recorded run has ended; its status is FINISHED,"
                        + " FAILED or KILLED, not " + status);
            }
            InputRules.notNull("endTime", endTime);
            startTime = epochMillis(name, "start", startTime);
            endTime = epochMillis(name, "end", endTime);
            if (endTime.isBefore(startTime)) {
                throw new InvalidInputException("Run '" + name + "' ends (" + endTime + ") before it starts (" + startTime + ")");
            }
            InputRules.notNull("params", params);
            params.forEach((key, value) -> InputRules.paramValue(InputRules.key("param", key), value));
            params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
            tags = Collections.unmodifiableMap(new LinkedHashMap<>(InputRules.tags(tags)));
            InputRules.notNull("metrics", metrics);
            for (Metric point : metrics) {
                InputRules.key("metric", InputRules.notNull("metric point", point).key());
            }
            metrics = List.copyOf(metrics);
        } catch (InvalidInputException e) {
            // A list of thousands of records: the message says which one is wrong.
            throw e.getMessage().startsWith("Run '") ? e : new InvalidInputException("Run '" + name + "': " + e.getMessage(), e);
        }
    }

    private static Instant epochMillis(String name, String which, Instant time) {
        try {
            return Instant.ofEpochMilli(time.toEpochMilli());
        } catch (ArithmeticException e) {
            throw new InvalidInputException("Run '" + name + "': its " + which + " time " + time
                    + " is beyond what epoch milliseconds hold");
        }
    }
}
