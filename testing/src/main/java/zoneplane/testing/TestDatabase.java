package zoneplane.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * One real PostgreSQL server per test JVM: Testcontainers' when a Docker engine is reachable,
 * io.zonky's embedded one otherwise (these machines have no Docker). Each caller of
 * {@link #newDatabase()} gets a fresh, empty database on it, so test classes never see each other's
 * rows and Flyway migrates each from scratch.
 */
public final class TestDatabase {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static volatile Server server;

    /** Connection facts of one database. */
    public record Database(String url, String username, String password) {
        public Connection connect() throws SQLException {
            return DriverManager.getConnection(url, username, password);
        }
    }

    private record Server(String baseUrl, String username, String password, AutoCloseable handle) {}

    private TestDatabase() {}

    public static Database newDatabase() {
        Server s = server();
        String name = "zp_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        try (Connection c = DriverManager.getConnection(s.baseUrl + "postgres", s.username, s.password);
                Statement st = c.createStatement()) {
            st.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database", e);
        }
        return new Database(s.baseUrl + name, s.username, s.password);
    }

    /** Which engine runs the tests' PostgreSQL: "testcontainers" or "embedded". */
    public static String engine() {
        return server().handle instanceof PostgreSQLContainer ? "testcontainers" : "embedded";
    }

    private static Server server() {
        Server s = server;
        if (s == null) {
            synchronized (TestDatabase.class) {
                s = server;
                if (s == null) {
                    s = dockerAvailable() ? startContainer() : startEmbedded();
                    server = s;
                    Server started = s;
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(started)));
                }
            }
        }
        return s;
    }

    private static boolean dockerAvailable() {
        if ("embedded".equals(System.getProperty("zoneplane.test.postgres", System.getenv("ZONEPLANE_TEST_POSTGRES")))) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @SuppressWarnings("resource")
    private static Server startContainer() {
        PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
        container.start();
        String url = container.getJdbcUrl();
        String base = url.substring(0, url.lastIndexOf('/') + 1);
        return new Server(base, container.getUsername(), container.getPassword(), container);
    }

    private static Server startEmbedded() {
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
            String url = pg.getJdbcUrl("postgres", "postgres");
            String base = url.substring(0, url.lastIndexOf('/') + 1);
            return new Server(base, "postgres", "postgres", pg);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL", e);
        }
    }

    private static void stop(Server s) {
        try {
            s.handle.close();
        } catch (Exception ignored) {
            // the JVM is exiting; the OS reclaims what is left
        }
    }
}
