package dev.runlog.storage.sqlite.internal;

import static dev.runlog.storage.sqlite.internal.Sql.bind;

import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.ExperimentSummary;
import dev.runlog.tracking.LifecycleStage;
import dev.runlog.tracking.ViewType;
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
 * Experiment summaries in one aggregate query. Grouped by experiment and lifecycle stage, the query
 * walks the covering index {@code runs_by_experiment_stage} (migration 7) in order: no run row is
 * read and no temporary B-tree is built, so 100,000 runs cost one pass over a small index.
 */
final class RunCounts {
    private static final String COLUMNS =
            "SELECT experiment_id, lifecycle_stage, count(*), max(start_time), max(end_time) FROM runs";
    private static final String GROUPS = " GROUP BY experiment_id, lifecycle_stage";
    /** Every experiment's runs. */
    static final String ALL = COLUMNS + GROUPS;
    /** The runs of the experiments in one lifecycle stage, the parameter. */
    static final String IN_STAGE = COLUMNS
            + " WHERE experiment_id IN (SELECT experiment_id FROM experiments WHERE lifecycle_stage = ?)" + GROUPS;

    private RunCounts() {
    }

    /**
     * The summaries of {@code experiments}, which are those of {@code view} read in the same
     * transaction, in their order.
     */
    static List<ExperimentSummary> summaries(Connection c, List<Experiment> experiments, ViewType view)
            throws SQLException {
        // Per experiment id: runs not deleted, deleted runs, last activity in epoch milliseconds.
        Map<String, long[]> tallies = new HashMap<>();
        for (Experiment e : experiments) {
            tallies.put(e.id(), new long[] {0, 0, e.lastUpdateTime().toEpochMilli()});
        }
        try (PreparedStatement ps = c.prepareStatement(view == ViewType.ALL ? ALL : IN_STAGE)) {
            if (view != ViewType.ALL) {
                bind(ps, (view == ViewType.ACTIVE_ONLY ? LifecycleStage.ACTIVE : LifecycleStage.DELETED).name());
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long[] tally = tallies.get(Long.toString(rs.getLong(1)));
                    if (tally != null) {
                        tally[LifecycleStage.DELETED.name().equals(rs.getString(2)) ? 1 : 0] += rs.getLong(3);
                        // max(end_time) is NULL while every run is active; getLong reads it as 0.
                        tally[2] = Math.max(tally[2], Math.max(rs.getLong(4), rs.getLong(5)));
                    }
                }
            }
        }
        List<ExperimentSummary> summaries = new ArrayList<>(experiments.size());
        for (Experiment e : experiments) {
            long[] tally = tallies.get(e.id());
            summaries.add(new ExperimentSummary(e, tally[0], tally[1], Instant.ofEpochMilli(tally[2])));
        }
        return summaries;
    }
}
