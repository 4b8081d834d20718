package dev.runlog.storage.postgres.internal;

import java.sql.SQLException;

/** What a PostgreSQL error code (SQLSTATE) means for the store. */
final class PgErrors {
    private PgErrors() {
    }

    /** A unique or primary key violation: another writer took the name or id first. */
    static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    /** A deadlock or serialization failure: the transaction may simply be run again. */
    static boolean isTransient(SQLException e) {
        String state = e.getSQLState();
        return "40001".equals(state) || "40P01".equals(state);
    }

    /** The connection is gone or the server is shutting down: the database is unreachable. */
    static boolean isConnectionLoss(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03"));
    }
}
