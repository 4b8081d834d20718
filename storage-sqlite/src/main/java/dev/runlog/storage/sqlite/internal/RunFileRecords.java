package dev.runlog.storage.sqlite.internal;

import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.Dataset;
import dev.runlog.tracking.DatasetInput;
import dev.runlog.tracking.spi.DatasetCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The records of a run's files and data sets: what {@link SqliteTrackingStore} writes and reads
 * inside its transactions, after it checked the run.
 */
final class RunFileRecords {
    private RunFileRecords() {
    }

    /** Records files with their size and SHA-256, replacing the records of the same paths. */
    static void recordArtifacts(Connection c, String runId, List<ArtifactEntry> files) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO artifacts (run_id, path, size, sha256)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (run_id, path) DO UPDATE SET size = excluded.size,"
                + " sha256 = excluded.sha256")) {
            for (ArtifactEntry file : files) {
                ps.setString(1, runId);
                ps.setString(2, file.path());
                ps.setLong(3, file.size());
                ps.setString(4, file.sha256().orElseThrow(
                        () -> new IllegalArgumentException("artifact record " + file.path() + " has no SHA-256")));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    static List<ArtifactEntry> recordedArtifacts(Connection c, String runId) throws SQLException {
        return recordedArtifacts(c, runId, null);
    }

    /** The run's records, or (with a path) the one of that file: a look-up of the primary key. */
    static List<ArtifactEntry> recordedArtifacts(Connection c, String runId, String path) throws SQLException {
        List<ArtifactEntry> files = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT path, size, sha256 FROM artifacts WHERE run_id = ?"
                + (path == null ? "" : " AND path = ?") + " ORDER BY path")) {
            ps.setString(1, runId);
            if (path != null) {
                ps.setString(2, path);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    files.add(ArtifactEntry.file(rs.getString(1), rs.getLong(2), rs.getString(3)));
                }
            }
        }
        return files;
    }

    /** Stores each data set once per content (digest, name, source, schema, profile), and links it to the run in its context. */
    static void recordInputs(Connection c, String runId, List<DatasetInput> inputs) throws SQLException {
        try (PreparedStatement insertDataset = c.prepareStatement("INSERT INTO datasets (digest, name, source,"
                + " schema_json, profile_json) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT (digest, name, source, schema_json, profile_json) DO NOTHING");
             PreparedStatement selectDataset = c.prepareStatement("SELECT dataset_id FROM datasets"
                     + " WHERE digest = ? AND name = ? AND source = ? AND schema_json = ? AND profile_json = ?");
             PreparedStatement insertInput = c.prepareStatement(
                     "INSERT OR IGNORE INTO inputs (run_id, dataset_id, context) VALUES (?, ?, ?)")) {
            for (DatasetInput input : inputs) {
                Dataset dataset = input.dataset();
                String[] content = {dataset.digest(), dataset.name(), dataset.source(),
                        DatasetCodec.schemaToText(dataset.schema()), DatasetCodec.profileToText(dataset.profile())};
                for (int i = 0; i < content.length; i++) {
                    insertDataset.setString(i + 1, content[i]);
                    selectDataset.setString(i + 1, content[i]);
                }
                insertDataset.executeUpdate();
                long datasetId;
                try (ResultSet rs = selectDataset.executeQuery()) {
                    rs.next();
                    datasetId = rs.getLong(1);
                }
                insertInput.setString(1, runId);
                insertInput.setLong(2, datasetId);
                insertInput.setString(3, input.context());
                insertInput.executeUpdate();
            }
        }
    }

    /** The runs that logged a data set of this digest, oldest first. */
    static List<String> runsUsing(Connection c, String datasetDigest) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT r.run_id FROM runs r WHERE r.run_id IN"
                + " (SELECT i.run_id FROM inputs i JOIN datasets d ON d.dataset_id = i.dataset_id WHERE d.digest = ?)"
                + " ORDER BY r.start_time, r.rowid")) {
            ps.setString(1, datasetDigest);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }
}
