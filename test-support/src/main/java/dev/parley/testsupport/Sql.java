package dev.parley.testsupport;

import java.sql.Connection;
import java.sql.SQLException;

/** One-line SQL for tests that check a schema by using it. */
public final class Sql {

    private Sql() {
    }

    public static long count(Connection connection, String sql) throws SQLException {
        try (var statement = connection.createStatement(); var result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    public static void execute(Connection connection, String sql) throws SQLException {
        try (var statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
