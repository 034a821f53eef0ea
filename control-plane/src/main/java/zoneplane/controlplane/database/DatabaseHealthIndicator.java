package zoneplane.controlplane.database;

import java.time.Duration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The readiness group's {@code database} check: the {@link DatabaseProbe}'s latest outcome as kept by
 * {@link DatabaseAvailability}, so it answers at once and never waits for a stalled database (Spring
 * Boot's own {@code db} check, which queries on every call, is off).
 */
@Component("database")
class DatabaseHealthIndicator implements HealthIndicator {

    private final DatabaseAvailability availability;

    DatabaseHealthIndicator(DatabaseAvailability availability) {
        this.availability = availability;
    }

    @Override
    public Health health() {
        if (availability.up()) {
            return Health.up().build();
        }
        return Health.down()
                .withDetail("downFor", Duration.ofNanos(System.nanoTime() - availability.downSinceNanos()).toMillis() + " ms")
                .build();
    }
}
