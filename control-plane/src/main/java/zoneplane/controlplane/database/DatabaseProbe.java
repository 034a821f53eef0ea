package zoneplane.controlplane.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs {@code select 1} every {@code probe-interval} on a thread of its own and tells
 * {@link DatabaseAvailability} the outcome, so that readiness reads a cached answer (never waits for
 * the database) and a stalled database is found down even when no request comes. While the database
 * is down it is also the half-open breaker's one trial call, once per {@code retry-interval}. Its query
 * is bounded by {@code probe-timeout} (the connection's network timeout), its connection by the pool's
 * timeout.
 */
@Component
class DatabaseProbe implements SmartLifecycle {

    private final DataSource dataSource;
    private final DatabaseAvailability availability;
    private final DatabaseProperties properties;
    private volatile ScheduledExecutorService executor;

    DatabaseProbe(DataSource dataSource, DatabaseAvailability availability, DatabaseProperties properties) {
        this.dataSource = dataSource;
        this.availability = availability;
        this.properties = properties;
    }

    @Override
    public void start() {
        ScheduledExecutorService probes = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "zoneplane-database-probe");
            thread.setDaemon(true);
            return thread;
        });
        long interval = properties.probeInterval().toMillis();
        probes.scheduleWithFixedDelay(this::probe, interval, interval, TimeUnit.MILLISECONDS);
        executor = probes;
    }

    @Override
    public void stop() {
        ScheduledExecutorService probes = executor;
        executor = null;
        if (probes != null) {
            probes.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }

    void probe() {
        if (!availability.probeDue()) {
            return;
        }
        long started = System.nanoTime();
        try (Connection connection = connection()) {
            connection.setNetworkTimeout(Runnable::run, (int) properties.probeTimeout().toMillis());
            try (Statement statement = connection.createStatement()) {
                statement.execute("select 1");
            }
            availability.probeSucceeded(System.nanoTime() - started);
        } catch (SQLException | RuntimeException e) {
            availability.probeFailed(System.nanoTime() - started, e);
        }
    }

    private Connection connection() throws SQLException {
        return dataSource.isWrapperFor(GatedDataSource.class)
                ? dataSource.unwrap(GatedDataSource.class).probeConnection()
                : dataSource.getConnection();
    }

    @Override
    public String toString() {
        return "DatabaseProbe{every " + properties.probeInterval() + ", timeout " + properties.probeTimeout() + "}";
    }
}
