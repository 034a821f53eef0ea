package zoneplane.controlplane.database;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How this replica decides whether PostgreSQL is reachable ({@link DatabaseAvailability}). The
 * bounds of each database wait (connection, socket read, statement, lock, idle transaction) are the
 * pool's and the driver's settings in {@code application.yaml} ({@code zoneplane.database.*-ms}).
 *
 * @param probeInterval how often a background probe runs {@code select 1}
 *     ({@code ZONEPLANE_DATABASE_PROBE_INTERVAL}, default 500ms); readiness reports its latest outcome
 * @param probeTimeout how long the probe's query may take before the database counts as down
 *     ({@code ZONEPLANE_DATABASE_PROBE_TIMEOUT}, default 1s), besides waiting for a connection
 * @param retryInterval how long requests are refused at once (503) after the database was found
 *     down, before a probe tries it again ({@code ZONEPLANE_DATABASE_RETRY_INTERVAL}, default 1s)
 */
@ConfigurationProperties("zoneplane.database")
public record DatabaseProperties(@DefaultValue("500ms") Duration probeInterval, @DefaultValue("1s") Duration probeTimeout,
        @DefaultValue("1s") Duration retryInterval) {

    public DatabaseProperties {
        requirePositive(probeInterval, "probe-interval");
        requirePositive(probeTimeout, "probe-timeout");
        requirePositive(retryInterval, "retry-interval");
    }

    private static void requirePositive(Duration value, String name) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("zoneplane.database." + name + " must be positive: " + value);
        }
    }
}
