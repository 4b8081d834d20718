package dev.runlog.tracking;

import dev.runlog.tracking.spi.InputRules;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a run logged: its params, the latest point of each metric, and its tags. All maps are
 * unmodifiable. The full series of a metric is read with {@link Tracker#metricHistory}.
 *
 * @param params        param key to value
 * @param latestMetrics metric key to its latest point (largest step, then timestamp, then value)
 * @param tags          tag key to value, system tags ({@code runlog.*}) included
 */
public record RunData(Map<String, String> params, Map<String, Metric> latestMetrics,
                      Map<String, String> tags) {
    public RunData {
        params = Map.copyOf(InputRules.notNull("params", params));
        latestMetrics = Map.copyOf(InputRules.notNull("latestMetrics", latestMetrics));
        tags = Map.copyOf(InputRules.notNull("tags", tags));
    }

    /** The latest value of each metric, keyed by metric name. */
    public Map<String, Double> metrics() {
        Map<String, Double> values = new LinkedHashMap<>();
        latestMetrics.forEach((key, point) -> values.put(key, point.value()));
        return Collections.unmodifiableMap(values);
    }
}
