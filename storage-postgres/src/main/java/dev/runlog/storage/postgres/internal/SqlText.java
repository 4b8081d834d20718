package dev.runlog.storage.postgres.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL text and its bound values, built together: {@link #value} writes a {@code ?} and records its
 * value in the same step, so the values cannot fall out of order with their placeholders, and no
 * value ever becomes SQL text.
 */
final class SqlText {
    private final StringBuilder text = new StringBuilder();
    private final List<Object> values = new ArrayList<>();

    /** Appends SQL of this class's callers' own making (never user input). */
    SqlText sql(String sql) {
        text.append(sql);
        return this;
    }

    /** Appends a placeholder bound to {@code value}. */
    SqlText value(Object value) {
        text.append('?');
        values.add(value);
        return this;
    }

    /** Appends {@code (?, ?, ...)}, one placeholder per value. */
    SqlText values(List<?> list) {
        text.append('(');
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                text.append(", ");
            }
            value(list.get(i));
        }
        text.append(')');
        return this;
    }

    /** Appends another fragment, with its values. */
    SqlText sql(SqlText other) {
        text.append(other.text);
        values.addAll(other.values);
        return this;
    }

    boolean isEmpty() {
        return text.length() == 0;
    }

    /** Prepares the statement with every value bound. */
    PreparedStatement prepare(Connection c) throws SQLException {
        return PgDatabase.prepare(c, text.toString(), values.toArray());
    }

    /** Runs the query and reads every row with {@code row}. */
    <T> List<T> list(Connection c, PgDatabase.Row<T> row) throws SQLException {
        return PgDatabase.list(c, row, text.toString(), values.toArray());
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
