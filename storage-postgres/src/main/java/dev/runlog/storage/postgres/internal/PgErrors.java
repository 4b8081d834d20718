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

    /**
     * What the server refuses whatever the moment, as a phrase for a message, else null: a login
     * (SQLSTATE class 28: wrong password, no such role, pg_hba.conf; 08004, the driver's own), a
     * database that does not exist (3D000), no usable schema (3F000), a privilege the user lacks (42501). The same call fails
     * again until the URI, the password or the grants change.
     */
    static String refusal(SQLException e) {
        String state = e.getSQLState();
        if (state == null) {
            return null;
        }
        if (state.startsWith("28") || state.equals("08004")) {
            // 08004: the driver's own refusals, such as no password for a server that asks one, or TLS required of a server without it.
            return "the server refused the login";
        }
        if (state.equals("3D000")) {
            return "the database does not exist";
        }
        if (state.equals("3F000")) {
            return "the user has no schema it may use (search_path, or the schema's grants)";
        }
        return state.equals("42501") ? "the user lacks a privilege it needs" : null;
    }

    /**
     * The innermost exception in {@code e}'s causes (itself included) that is such a refusal, else
     * null: the pool wraps what the driver threw when it could not connect, copying its SQLSTATE
     * but not its message.
     */
    static SQLException refusing(Throwable e) {
        SQLException found = null;
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql && refusal(sql) != null) {
                found = sql;
            }
        }
        return found;
    }

    /** The connection is gone or the server is shutting down: the database is unreachable. */
    static boolean isConnectionLoss(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03"));
    }
}
