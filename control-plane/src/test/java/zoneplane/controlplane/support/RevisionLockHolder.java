package zoneplane.controlplane.support;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Holds the config revision's row lock in a transaction of its own (without changing the revision),
 * as a slow writer on another replica would: changes that need a revision wait until it is closed,
 * which rolls back and releases the lock. Lets a test line up setting changes behind one that waits.
 */
public final class RevisionLockHolder implements AutoCloseable {

    private final Connection connection;
    private final JdbcClient jdbc;

    public RevisionLockHolder(DataSource dataSource) throws SQLException {
        this.connection = dataSource.getConnection();
        this.jdbc = JdbcClient.create(dataSource);
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("select revision from config_revision for update");
        }
    }

    /** Whether another transaction waits for a lock (the revision's, once the test has sent a change). */
    public boolean othersWait() {
        return jdbc.sql("select count(*) from pg_locks where not granted and locktype = 'transactionid'")
                .query(Long.class).single() > 0;
    }

    @Override
    public void close() throws SQLException {
        try {
            connection.rollback();
        } finally {
            connection.close();
        }
    }
}
