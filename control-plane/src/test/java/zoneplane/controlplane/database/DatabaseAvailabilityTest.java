package zoneplane.controlplane.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The database circuit: down on the first outage failure (and only on those), refusing at once while
 * down, one probe per retry interval (half-open), up again on the probe's success; as the metric says.
 */
class DatabaseAvailabilityTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final DatabaseAvailability availability = new DatabaseAvailability(
            new DatabaseProperties(Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ofMillis(200)), meters);

    @Test
    void anOutageOpensTheCircuitUntilAProbeSucceeds() throws Exception {
        assertThat(availability.up()).isTrue();
        assertThat(gauge()).isEqualTo(1);

        availability.failed(new SQLException("duplicate key value violates unique constraint", "23505"));
        assertThat(availability.up()).as("a refused statement says nothing about reachability").isTrue();

        availability.failed(new SQLException("An I/O error occurred while sending to the backend.", "08006"));
        assertThat(availability.up()).isFalse();
        assertThat(gauge()).isZero();
        SQLException refusal = org.junit.jupiter.api.Assertions.assertThrows(SQLTransientConnectionException.class, availability::admit);
        assertThat(availability.probeDue()).as("no probe before the retry interval").isFalse();

        await().atMost(Duration.ofSeconds(5)).until(availability::probeDue);
        assertThat(availability.probeDue()).as("half-open: one trial at a time").isFalse();
        assertThat(availability.up()).as("requests still refused while probing").isFalse();
        availability.probeFailed(1_000_000, new SQLTransientConnectionException("Connection is not available", "08001"));
        assertThat(availability.up()).isFalse();
        assertThat(availability.probeDue()).as("failed trial: a full retry interval again").isFalse();

        await().atMost(Duration.ofSeconds(5)).until(availability::probeDue);
        availability.probeSucceeded(1_000_000);
        assertThat(availability.up()).isTrue();
        availability.failed(new org.springframework.transaction.CannotCreateTransactionException("no connection", refusal));
        assertThat(availability.up()).as("a refusal answered late is no news").isTrue();
        assertThat(gauge()).isEqualTo(1);
        availability.admit();
    }

    @Test
    void theGateRefusesAtOnceOnceAConnectionCouldNotBeHad() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("availability", availability);
        GatedDataSource gated = new GatedDataSource(new DriverManagerDataSource(
                "jdbc:postgresql://127.0.0.1:" + closedPort + "/postgres", "postgres", "postgres"),
                beans.getBeanProvider(DatabaseAvailability.class));

        assertThatThrownBy(gated::getConnection).isInstanceOf(SQLException.class)
                .isNotInstanceOf(SQLTransientConnectionException.class)
                .hasMessageContaining("Connection to 127.0.0.1:" + closedPort + " refused");
        assertThat(availability.up()).isFalse();
        assertThatThrownBy(gated::getConnection).isInstanceOf(SQLTransientConnectionException.class)
                .hasMessageContaining("the database is unavailable");
    }

    private double gauge() {
        return meters.get("zoneplane.database.up").gauge().value();
    }
}
