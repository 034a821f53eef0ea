package zoneplane.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;

/**
 * A test's own embedded PostgreSQL (not the suite's shared one) on a fixed port and data folder, so
 * that it can be stopped and started again (or its folder swapped) and come back where clients expect.
 */
public final class StandalonePostgres implements AutoCloseable {

    private final Path data;
    private final int port;
    private EmbeddedPostgres running;

    public StandalonePostgres(Path data) throws IOException {
        this.data = data;
        try (ServerSocket socket = new ServerSocket(0)) {
            this.port = socket.getLocalPort();
        }
        start();
    }

    public void start() throws IOException {
        running = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setPort(port)
                .start();
    }

    public void stop() throws IOException {
        if (running != null) {
            running.close();
            running = null;
        }
    }

    public Path dataDirectory() {
        return data;
    }

    public TestDatabase.Database database() {
        return new TestDatabase.Database("jdbc:postgresql://localhost:" + port + "/postgres?user=postgres",
                "postgres", "postgres");
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
