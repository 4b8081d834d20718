package dev.runlog.storage.sqlite.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Statement helpers shared by the stores: every value goes in as a bound parameter. */
final class Sql {
    private Sql() {
    }

    /** Runs an INSERT, UPDATE or DELETE with {@code args} bound in order; returns the rows changed. */
    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    /** Binds {@code args} to the statement's parameters 1, 2, ...; a null binds SQL NULL. */
    static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }
}
