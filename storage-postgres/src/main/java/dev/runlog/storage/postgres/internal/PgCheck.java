package dev.runlog.storage.postgres.internal;

import dev.runlog.tracking.spi.StoreCheck;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The PostgreSQL store's read-only check of itself ({@code TrackingStore.checkStore}, what
 * {@code runlog doctor} shows), in one snapshot: the schema version recorded against the one this
 * Runlog writes, rows that refer to a run, model or version that is gone where the schema has no
 * foreign key to prevent it (rows written by hand, or by a tool that bypassed Runlog), models
 * whose next version number would repeat one already given, and indexes a failed build left invalid.
 * PostgreSQL guards its own pages (checksums, WAL): corruption below the rows is the server's to report.
 */
final class PgCheck {
    /** A referring table, its key columns, and the table they must find a row in: {@code child, columns, parent}. */
    private static final List<String[]> REFERENCES = List.of(
            new String[] {"runlog_params", "run_id", "runlog_runs"},
            new String[] {"runlog_tags", "run_id", "runlog_runs"},
            new String[] {"runlog_metric_series", "run_id", "runlog_runs"},
            new String[] {"runlog_artifact_records", "run_id", "runlog_runs"},
            new String[] {"runlog_inputs", "run_id", "runlog_runs"},
            new String[] {"runlog_model_tags", "name", "runlog_models"},
            new String[] {"runlog_versions", "name", "runlog_models"},
            new String[] {"runlog_version_tags", "name, version", "runlog_versions"},
            new String[] {"runlog_aliases", "name, version", "runlog_versions"});

    private PgCheck() {
    }

    static StoreCheck check(PgDatabase db) {
        return db.read(c -> {
            List<String> problems = new ArrayList<>();
            int version = PgDatabase.first(c, rs -> rs.getInt(1), "SELECT coalesce(max(version), 0) FROM runlog_schema")
                    .orElse(0);
            if (version != PgSchema.latestVersion()) {
                problems.add("schema version " + version + ", expected " + PgSchema.latestVersion());
            }
            for (String[] ref : REFERENCES) {
                orphans(c, ref[0], ref[1], ref[2], problems);
            }
            for (String[] model : PgDatabase.list(c, rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)},
                    "SELECT m.name, m.next_version, max(v.version) FROM runlog_models m JOIN runlog_versions v"
                            + " ON v.name = m.name GROUP BY m.name, m.next_version HAVING m.next_version <= max(v.version)"
                            + " ORDER BY m.name")) {
                problems.add("model '" + model[0] + "' would number its next version " + model[1]
                        + ", but version " + model[2] + " exists: version numbers would repeat");
            }
            for (String index : PgDatabase.list(c, rs -> rs.getString(1), "SELECT i.indexrelid::regclass::text"
                    + " FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid WHERE t.relname LIKE 'runlog%'"
                    + " AND t.relnamespace = to_regnamespace(current_schema()) AND NOT (i.indisvalid AND i.indisready)"
                    + " ORDER BY 1")) {
                problems.add("index " + index + " is invalid (a build of it failed); REINDEX it");
            }
            return new StoreCheck("PostgreSQL schema " + version + ", " + db.uri().redacted(), problems);
        });
    }

    /** Adds a problem naming how many rows of {@code child} refer to no row of {@code parent}, and a few of them. */
    private static void orphans(Connection c, String child, String columns, String parent, List<String> problems)
            throws SQLException {
        // Table and column names are this class's constants, never input. NOT EXISTS: an anti-join on the parent's key.
        StringBuilder match = new StringBuilder();
        for (String column : columns.split(", ")) {
            match.append(match.length() == 0 ? "" : " AND ").append("p.").append(column).append(" = c.").append(column);
        }
        List<String> found = PgDatabase.list(c, rs -> rs.getString(1), "SELECT DISTINCT concat_ws('/', c."
                + columns.replace(", ", ", c.") + ") FROM " + child + " c WHERE NOT EXISTS (SELECT 1 FROM " + parent
                + " p WHERE " + match + ") ORDER BY 1 LIMIT 6");
        if (!found.isEmpty()) {
            problems.add(child + " has rows for " + String.join(", ", found.subList(0, Math.min(5, found.size())))
                    + (found.size() > 5 ? ", ..." : "") + " missing from " + parent);
        }
    }
}
