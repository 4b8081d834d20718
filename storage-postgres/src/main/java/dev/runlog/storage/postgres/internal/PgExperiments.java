package dev.runlog.storage.postgres.internal;

import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.LifecycleStage;
import dev.runlog.tracking.ViewType;
import dev.runlog.tracking.spi.StoredValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Experiments as the tracking store reads them: the rows a condition selects, each with its tags,
 * in one statement, so that a look-up by name (every run's start makes one) is one round trip.
 */
final class PgExperiments {
    private PgExperiments() {
    }

    /** The condition that selects the experiments of a view. */
    static SqlText view(ViewType viewType) {
        return switch (viewType) {
            case ALL -> new SqlText();
            case ACTIVE_ONLY -> new SqlText().sql(" WHERE lifecycle_stage = ").value(LifecycleStage.ACTIVE.name());
            case DELETED_ONLY -> new SqlText().sql(" WHERE lifecycle_stage = ").value(LifecycleStage.DELETED.name());
        };
    }

    /** The experiments {@code where} selects, by id, each with its tags. */
    static List<Experiment> list(Connection c, SqlText where) throws SQLException {
        SqlText query = new SqlText().sql("SELECT experiment_id, name, lifecycle_stage, creation_time, last_update_time,"
                + " ARRAY(SELECT key FROM runlog_experiment_tags t WHERE t.experiment_id = e.experiment_id ORDER BY key),"
                + " ARRAY(SELECT value FROM runlog_experiment_tags t WHERE t.experiment_id = e.experiment_id ORDER BY key)"
                + " FROM runlog_experiments e").sql(where).sql(" ORDER BY experiment_id");
        List<Experiment> found = new ArrayList<>();
        try (PreparedStatement ps = query.prepare(c); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String[] keys = (String[]) rs.getArray(6).getArray();
                String[] values = (String[]) rs.getArray(7).getArray();
                Map<String, String> tags = new HashMap<>(Math.max(4, keys.length * 2));
                for (int i = 0; i < keys.length; i++) {
                    tags.put(keys[i], values[i]);
                }
                found.add(new Experiment(Long.toString(rs.getLong(1)), rs.getString(2), StoredValues.constant(LifecycleStage.class, rs.getString(3), "an experiment lifecycle stage"),
                        Instant.ofEpochMilli(rs.getLong(4)), Instant.ofEpochMilli(rs.getLong(5)), tags));
            }
        }
        return found;
    }
}
