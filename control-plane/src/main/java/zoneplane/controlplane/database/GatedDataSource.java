package zoneplane.controlplane.database;

import java.io.Closeable;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The connection pool behind {@link DatabaseAvailability}: while the database is known down, a
 * connection is refused at once ({@link java.sql.SQLTransientConnectionException}, answered 503)
 * instead of after the pool's connection timeout; a connection the pool could not give within its
 * timeout marks the database down. Everything else (pool metrics, {@code unwrap}, closing) is the
 * pool's. The availability is looked up on first use, because the pool is made before most beans.
 */
public final class GatedDataSource extends DelegatingDataSource implements Closeable {

    private final ObjectProvider<DatabaseAvailability> availabilityProvider;
    private volatile DatabaseAvailability availability;

    public GatedDataSource(DataSource pool, ObjectProvider<DatabaseAvailability> availability) {
        super(pool);
        this.availabilityProvider = availability;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return gated(() -> obtainTargetDataSource().getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return gated(() -> obtainTargetDataSource().getConnection(username, password));
    }

    private interface Opening {
        Connection open() throws SQLException;
    }

    private Connection gated(Opening opening) throws SQLException {
        DatabaseAvailability gate = availability();
        gate.admit();
        try {
            return opening.open();
        } catch (SQLException e) {
            gate.failed(e);
            throw e;
        }
    }

    /** A connection past the gate: for the probe, which is what finds the database up again. */
    Connection probeConnection() throws SQLException {
        return obtainTargetDataSource().getConnection();
    }

    private DatabaseAvailability availability() {
        DatabaseAvailability known = availability;
        if (known == null) {
            known = availabilityProvider.getObject();
            availability = known;
        }
        return known;
    }

    @Override
    public void close() throws IOException {
        if (obtainTargetDataSource() instanceof AutoCloseable pool) {
            try {
                pool.close();
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
    }

    @Override
    public String toString() {
        return "GatedDataSource{" + getTargetDataSource() + "}";
    }
}
