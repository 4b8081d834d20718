package dev.runlog.storage.sqlite.internal;

import java.util.List;

/**
 * The schema, as numbered migrations. A database records the last one applied in
 * {@code PRAGMA user_version}; opening applies the missing ones in one transaction. Migrations are
 * only ever appended: a released one is never edited, since databases in the field have run it.
 */
final class Schema {
    /** "Rlog": marks a SQLite file as a Runlog database in {@code PRAGMA application_id}. */
    static final int APPLICATION_ID = 0x526C6F67;

    static final List<String> MIGRATIONS = List.of(
            // 1: tracking. Experiments, runs, params, tags; metrics as series of encoded chunks.
            """
            CREATE TABLE experiments (
                experiment_id    INTEGER PRIMARY KEY AUTOINCREMENT,
                name             TEXT    NOT NULL UNIQUE,
                lifecycle_stage  TEXT    NOT NULL,
                creation_time    INTEGER NOT NULL,
                last_update_time INTEGER NOT NULL
            );
            CREATE TABLE experiment_tags (
                experiment_id INTEGER NOT NULL REFERENCES experiments (experiment_id),
                key           TEXT    NOT NULL,
                value         TEXT    NOT NULL,
                PRIMARY KEY (experiment_id, key)
            ) WITHOUT ROWID;
            CREATE TABLE runs (
                run_id                  TEXT    NOT NULL PRIMARY KEY,
                experiment_id           INTEGER NOT NULL REFERENCES experiments (experiment_id),
                name                    TEXT    NOT NULL,
                status                  TEXT    NOT NULL,
                start_time              INTEGER NOT NULL,
                end_time                INTEGER,
                lifecycle_stage         TEXT    NOT NULL,
                deleted_with_experiment INTEGER NOT NULL DEFAULT 0,
                artifact_uri            TEXT    NOT NULL
            );
            CREATE INDEX runs_by_experiment ON runs (experiment_id, start_time);
            CREATE TABLE params (
                run_id TEXT NOT NULL,
                key    TEXT NOT NULL,
                value  TEXT NOT NULL,
                PRIMARY KEY (run_id, key)
            ) WITHOUT ROWID;
            CREATE TABLE tags (
                run_id TEXT NOT NULL,
                key    TEXT NOT NULL,
                value  TEXT NOT NULL,
                PRIMARY KEY (run_id, key)
            ) WITHOUT ROWID;
            -- One row per (run, metric key), with the latest point kept current by every batch so
            -- that a runs table reads latest values without touching a single chunk. Values are
            -- kept as IEEE 754 bits: a REAL column would turn NaN into NULL and -0.0 into 0.
            CREATE TABLE metric_series (
                series_id        INTEGER PRIMARY KEY,
                run_id           TEXT    NOT NULL,
                key              TEXT    NOT NULL,
                point_count      INTEGER NOT NULL,
                chunk_count      INTEGER NOT NULL,
                in_order         INTEGER NOT NULL,
                last_step        INTEGER NOT NULL,
                last_timestamp   INTEGER NOT NULL,
                last_bits        INTEGER NOT NULL,
                latest_step      INTEGER NOT NULL,
                latest_timestamp INTEGER NOT NULL,
                latest_bits      INTEGER NOT NULL,
                latest_value     REAL,
                UNIQUE (run_id, key)
            );
            -- A run's params, tags and latest metric points in one blob (RunDataCodec), rewritten by
            -- each write to the run: reading runs costs one row per run. The tables above serve search.
            CREATE TABLE run_data (
                run_id TEXT NOT NULL PRIMARY KEY,
                data   BLOB NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE metric_chunks (
                series_id   INTEGER NOT NULL,
                chunk_no    INTEGER NOT NULL,
                point_count INTEGER NOT NULL,
                data        BLOB    NOT NULL,
                PRIMARY KEY (series_id, chunk_no)
            ) WITHOUT ROWID;
            """,
            // 2: artifact digests and dataset inputs. Datasets are stored once per (digest, name).
            """
            CREATE TABLE artifacts (
                run_id TEXT    NOT NULL,
                path   TEXT    NOT NULL,
                size   INTEGER NOT NULL,
                sha256 TEXT    NOT NULL,
                PRIMARY KEY (run_id, path)
            ) WITHOUT ROWID;
            CREATE TABLE datasets (
                dataset_id   INTEGER PRIMARY KEY,
                digest       TEXT NOT NULL,
                name         TEXT NOT NULL,
                source       TEXT NOT NULL,
                schema_json  TEXT NOT NULL,
                profile_json TEXT NOT NULL,
                UNIQUE (digest, name)
            );
            -- A rowid table: the rowid keeps the order in which a run logged its inputs.
            CREATE TABLE inputs (
                run_id     TEXT    NOT NULL,
                dataset_id INTEGER NOT NULL REFERENCES datasets (dataset_id),
                context    TEXT    NOT NULL,
                UNIQUE (run_id, dataset_id, context)
            );
            CREATE INDEX inputs_by_dataset ON inputs (dataset_id, run_id);
            """,
            // 3: search. Runs ordered by a metric are read off this index in order, a page at a time.
            """
            CREATE INDEX metric_series_by_value ON metric_series (key, latest_value, run_id);
            CREATE INDEX runs_by_start_time ON runs (start_time, run_id);
            """,
            // 4: the model registry. next_version survives version deletes, so numbers are never reused.
            """
            CREATE TABLE registered_models (
                name             TEXT    NOT NULL PRIMARY KEY,
                description      TEXT    NOT NULL,
                creation_time    INTEGER NOT NULL,
                last_update_time INTEGER NOT NULL,
                next_version     INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE registered_model_tags (
                name  TEXT NOT NULL,
                key   TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (name, key)
            ) WITHOUT ROWID;
            CREATE TABLE model_versions (
                name             TEXT    NOT NULL,
                version          INTEGER NOT NULL,
                source           TEXT    NOT NULL,
                run_id           TEXT    NOT NULL,
                stage            TEXT    NOT NULL,
                description      TEXT    NOT NULL,
                user_id          TEXT    NOT NULL,
                creation_time    INTEGER NOT NULL,
                last_update_time INTEGER NOT NULL,
                PRIMARY KEY (name, version)
            ) WITHOUT ROWID;
            CREATE INDEX model_versions_by_stage ON model_versions (name, stage, version);
            CREATE TABLE model_version_tags (
                name    TEXT    NOT NULL,
                version INTEGER NOT NULL,
                key     TEXT    NOT NULL,
                value   TEXT    NOT NULL,
                PRIMARY KEY (name, version, key)
            ) WITHOUT ROWID;
            CREATE TABLE model_aliases (
                name    TEXT    NOT NULL,
                alias   TEXT    NOT NULL,
                version INTEGER NOT NULL,
                PRIMARY KEY (name, alias)
            ) WITHOUT ROWID;
            -- AUTOINCREMENT: event ids are never reused, so they order the trail even across deletes.
            CREATE TABLE registry_events (
                event_id   INTEGER PRIMARY KEY AUTOINCREMENT,
                name       TEXT    NOT NULL,
                version    INTEGER NOT NULL,
                action     TEXT    NOT NULL,
                alias      TEXT,
                from_value TEXT,
                to_value   TEXT,
                time       INTEGER NOT NULL,
                user_id    TEXT    NOT NULL,
                comment    TEXT    NOT NULL
            );
            CREATE INDEX registry_events_by_model ON registry_events (name, event_id);
            """,
            // 5: which process owns each active run (ProcessOwner), so that an open can end as KILLED
            // the runs of a process killed before it could end them. A row goes when its run ends.
            """
            CREATE TABLE run_owners (
                run_id        TEXT    NOT NULL PRIMARY KEY,
                host          TEXT    NOT NULL,
                pid_namespace TEXT,
                pid           INTEGER NOT NULL,
                process_start INTEGER
            ) WITHOUT ROWID;
            """,
            // 6: the SHA-256 of a version's model descriptor, recorded at registration and checked when
            // it is resolved, loaded or deployed. NULL for versions registered before: the digest cannot
            // be computed here without the artifact store, so theirs is "not recorded".
            """
            ALTER TABLE model_versions ADD COLUMN model_digest TEXT;
            """,
            // 7: the gates a promotion passed, as a JSON array (GatesJson) on its STAGE_CHANGED event; NULL for
            // every other event and for events recorded before, which thus read as having no gates. And an
            // index covering what experiment summaries count, so they read no run row (RunCounts).
            """
            ALTER TABLE registry_events ADD COLUMN gates TEXT;
            CREATE INDEX runs_by_experiment_stage ON runs (experiment_id, lifecycle_stage, start_time, end_time);
            """,
            // 8: when a run was deleted, so that gc purges what was deleted long enough ago. NULL for
            // runs deleted before: they count as deleted when they ended (else started).
            """
            ALTER TABLE runs ADD COLUMN deleted_time INTEGER;
            """,
            // 9: no table changes. Metric chunks are written framed with a CRC-32C from now on (see
            // ChunkCodec), which a Runlog that knows only 8 would read as damaged: it refuses the file instead.
            "",
            // 10: runs gc purged whose artifact files are not yet known to be deleted, so that a gc stopped
            // between the two (killed, or refused by the artifact store) leaves them to the next one.
            """
            CREATE TABLE purged_runs (run_id TEXT NOT NULL PRIMARY KEY) WITHOUT ROWID;
            """,
            // 11: a dataset is kept once per content, no longer once per (digest, name): logged again with
            // another profile (one an imported archive carries, one a plugin added a drift reference to),
            // it is a record of its own, so what one run logged never changes another run's inputs. The
            // table is rebuilt (SQLite cannot drop a UNIQUE constraint); its ids, which inputs refer
            // to, are kept.
            """
            CREATE TABLE datasets_by_content (
                dataset_id   INTEGER PRIMARY KEY,
                digest       TEXT NOT NULL,
                name         TEXT NOT NULL,
                source       TEXT NOT NULL,
                schema_json  TEXT NOT NULL,
                profile_json TEXT NOT NULL,
                UNIQUE (digest, name, source, schema_json, profile_json)
            );
            INSERT INTO datasets_by_content (dataset_id, digest, name, source, schema_json, profile_json)
                SELECT dataset_id, digest, name, source, schema_json, profile_json FROM datasets;
            DROP TABLE datasets;
            ALTER TABLE datasets_by_content RENAME TO datasets;
            """);

    static int latestVersion() {
        return MIGRATIONS.size();
    }

    private Schema() {
    }
}
