package zoneplane.system;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * A real PostgreSQL (io.zonky embedded binaries) on a fixed loopback port and data folder, so it can
 * be stopped and started again "in place" under running control planes: their JDBC URLs stay valid
 * and the data survives, as when an operator restarts the database server.
 */
final class RestartablePostgres implements AutoCloseable {

    static final String USER = "postgres";
    static final String PASSWORD = "postgres";

    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres postgres;

    RestartablePostgres(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    synchronized RestartablePostgres start() {
        if (postgres != null) {
            throw new IllegalStateException("PostgreSQL is already running");
        }
        try {
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .start();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start PostgreSQL on port " + port, e);
        }
    }

    /** Fast shutdown: open sessions are terminated, as when the server goes down. */
    synchronized void stop() {
        if (postgres == null) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop PostgreSQL", e);
        } finally {
            postgres = null;
        }
    }

    void restart() {
        stop();
        start();
    }

    synchronized boolean running() {
        return postgres != null;
    }

    /** The postmaster's process id, from its {@code postmaster.pid} (first line). */
    synchronized long postmasterPid() {
        if (postgres == null) {
            throw new IllegalStateException("PostgreSQL is not running");
        }
        try {
            return Long.parseLong(java.nio.file.Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + dataDir.resolve("postmaster.pid"), e);
        }
    }

    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    /** A direct connection for checking rows (not through the control plane). */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
    }

    @Override
    public void close() {
        stop();
    }
}
