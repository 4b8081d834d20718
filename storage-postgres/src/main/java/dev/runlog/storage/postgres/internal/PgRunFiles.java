package dev.runlog.storage.postgres.internal;

import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.Dataset;
import dev.runlog.tracking.DatasetInput;
import dev.runlog.tracking.spi.DatasetCodec;
import dev.runlog.tracking.spi.Sha256;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The records of a run's artifact files and data sets, written inside {@link PgTrackingStore}'s
 * transactions once it has locked the run.
 */
final class PgRunFiles {
    private PgRunFiles() {
    }

    /** Records each file's size and SHA-256, replacing the record of the same path. */
    static void recordArtifacts(Connection c, String runId, List<ArtifactEntry> files) throws SQLException {
        if (files.isEmpty()) {
            return;
        }
        List<String> paths = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        List<String> digests = new ArrayList<>();
        for (ArtifactEntry file : files) {
            paths.add(file.path());
            sizes.add(file.size());
            digests.add(file.sha256().orElseThrow(
                    () -> new IllegalArgumentException("artifact record " + file.path() + " has no SHA-256")));
        }
        // One statement for any number of files; of a path given twice, the last record counts.
        PgDatabase.update(c, "INSERT INTO runlog_artifact_records (run_id, path, size, sha256)"
                + " SELECT DISTINCT ON (p) ?, p, s, d FROM unnest(?::text[], ?::bigint[], ?::text[]) WITH ORDINALITY AS f (p, s, d, n)"
                + " ORDER BY p, n DESC ON CONFLICT (run_id, path) DO UPDATE SET size = EXCLUDED.size, sha256 = EXCLUDED.sha256",
                runId, paths.toArray(new String[0]), sizes.toArray(new Long[0]), digests.toArray(new String[0]));
    }

    /**
     * What a dataset's record is keyed by beside its digest and name: SHA-256 over the SHA-256 of
     * its source, schema text and profile text, each as UTF-8 (as migration 6 computes it in SQL),
     * so that no two different contents share a record however their parts are split.
     */
    static String contentSha256(String source, String schema, String profile) {
        var outer = Sha256.newDigest();
        for (String part : new String[] {source, schema, profile}) {
            outer.update(Sha256.newDigest().digest(part.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        return Sha256.hex(outer);
    }

    static List<ArtifactEntry> recordedArtifacts(Connection c, String runId) throws SQLException {
        return PgDatabase.list(c, rs -> ArtifactEntry.file(rs.getString(1), rs.getLong(2), rs.getString(3)),
                "SELECT path, size, sha256 FROM runlog_artifact_records WHERE run_id = ? ORDER BY path", runId);
    }

    /** The record of one file: a look-up of the primary key. */
    static List<ArtifactEntry> recordedArtifact(Connection c, String runId, String path) throws SQLException {
        return PgDatabase.list(c, rs -> ArtifactEntry.file(rs.getString(1), rs.getLong(2), rs.getString(3)),
                "SELECT path, size, sha256 FROM runlog_artifact_records WHERE run_id = ? AND path = ?", runId, path);
    }

    /** Keeps each data set once per content (see {@link #contentSha256}) and links it to the run in its context, once. */
    static void recordInputs(Connection c, String runId, List<DatasetInput> inputs) throws SQLException {
        try (PreparedStatement dataset = c.prepareStatement("WITH added AS (INSERT INTO runlog_datasets (digest, name,"
                + " source, schema_json, profile_json, content_sha256) VALUES (?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (digest, name, content_sha256) DO NOTHING RETURNING dataset_id)"
                + " SELECT dataset_id FROM added UNION ALL SELECT dataset_id FROM runlog_datasets"
                + " WHERE digest = ? AND name = ? AND content_sha256 = ?");
             PreparedStatement link = c.prepareStatement("INSERT INTO runlog_inputs (run_id, dataset_id, context)"
                     + " VALUES (?, ?, ?) ON CONFLICT (run_id, dataset_id, context) DO NOTHING")) {
            for (DatasetInput input : inputs) {
                Dataset d = input.dataset();
                String schema = DatasetCodec.schemaToText(d.schema());
                String profile = DatasetCodec.profileToText(d.profile());
                String content = contentSha256(d.source(), schema, profile);
                Object[] values = {d.digest(), d.name(), d.source(), schema, profile, content, d.digest(), d.name(), content};
                for (int i = 0; i < values.length; i++) {
                    dataset.setObject(i + 1, values[i]);
                }
                long id = -1;
                // No row only when another writer added it while this statement ran: then it is committed, so run again.
                while (id < 0) {
                    try (ResultSet rs = dataset.executeQuery()) {
                        id = rs.next() ? rs.getLong(1) : -1;
                    }
                }
                link.setString(1, runId);
                link.setLong(2, id);
                link.setString(3, input.context());
                link.executeUpdate();
            }
        }
    }

    /** The runs that logged a data set of this digest, oldest first. */
    static List<String> runsUsing(Connection c, String digest) throws SQLException {
        return PgDatabase.list(c, rs -> rs.getString(1), "SELECT r.run_id FROM runlog_runs r WHERE EXISTS (SELECT 1"
                + " FROM runlog_inputs i JOIN runlog_datasets d ON d.dataset_id = i.dataset_id WHERE i.run_id = r.run_id"
                + " AND d.digest = ?) ORDER BY r.start_time, r.created", digest);
    }
}
