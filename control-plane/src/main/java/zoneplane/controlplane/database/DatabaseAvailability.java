package zoneplane.controlplane.database;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Whether this replica can reach PostgreSQL: a circuit breaker (Resilience4j) over the whole
 * database, not over one call. Closed (up) while calls and the {@link DatabaseProbe} succeed; one
 * outage failure ({@link DatabaseFailures#isOutage}: no connection within the pool's timeout, a socket read
 * timed out, the server went away) opens it. While open, {@link GatedDataSource} refuses every
 * connection at once, so each request is answered 503 without waiting a timeout of its own, and the
 * setting writer fails its whole queue at once. After {@code retry-interval} the breaker is half-open:
 * only the probe tries the database (one call), and its success closes the breaker, its failure
 * opens it again.
 *
 * <p>State changes are logged once each ("Database down", "Database up"), never per request, and
 * exported as {@code zoneplane_database_up} (1 up, 0 down or being probed). Thread-safe.
 */
@Component
public class DatabaseAvailability {

    private static final Logger log = LoggerFactory.getLogger(DatabaseAvailability.class);

    private final CircuitBreaker breaker;
    private final DatabaseProperties properties;
    /** The failure that opened the breaker, for the "down" line. */
    private final AtomicReference<Throwable> lastFailure = new AtomicReference<>();
    private volatile long downSinceNanos;

    public DatabaseAvailability(DatabaseProperties properties, MeterRegistry meters) {
        this.properties = properties;
        this.breaker = CircuitBreaker.of("database", CircuitBreakerConfig.custom()
                .slidingWindow(1, 1, CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(100)
                .recordException(DatabaseFailures::isOutage)
                .waitDurationInOpenState(properties.retryInterval())
                .permittedNumberOfCallsInHalfOpenState(1)
                .writableStackTraceEnabled(false)
                .build());
        breaker.getEventPublisher().onStateTransition(this::transitioned);
        Gauge.builder("zoneplane.database.up", this, availability -> availability.up() ? 1 : 0)
                .description("1 while this replica reaches PostgreSQL, 0 while it answers 503 for want of it")
                .register(meters);
    }

    /** Whether the database is taken as reachable (requests may use it). */
    public boolean up() {
        return breaker.getState() == CircuitBreaker.State.CLOSED;
    }

    /** Since when the database has been down (System.nanoTime), meaningful only while not {@link #up()}. */
    long downSinceNanos() {
        return downSinceNanos;
    }

    /** Refuses at once while the database is known down: nobody waits for a connection it cannot give. */
    void admit() throws SQLTransientConnectionException {
        if (!up()) {
            throw new Refused();
        }
    }

    /** The gate's own refusal: an outage answer (503), but no news about the database. */
    private static final class Refused extends SQLTransientConnectionException {

        Refused() {
            super("the database is unavailable (found down, being probed)", "08001");
        }
    }

    /**
     * A call failed; if the failure means the database cannot be reached, it is down from now on.
     * Other failures (a constraint, a bad statement, the gate's own refusal) say nothing new about
     * reachability and are ignored.
     */
    public void failed(Throwable error) {
        if (DatabaseFailures.isOutage(error) && !refusedHere(error)) {
            lastFailure.set(error);
            breaker.onError(0, TimeUnit.NANOSECONDS, error);
        }
    }

    /**
     * Whether {@code error} is this gate's refusal: such a failure can reach {@link #failed} after a
     * probe found the database up again, and must not take it down.
     */
    private static boolean refusedHere(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof Refused) {
                return true;
            }
            if (e.getCause() == e) {
                break;
            }
        }
        return false;
    }

    /** Whether a probe should run now: always while up; while down, once per retry interval. */
    boolean probeDue() {
        return breaker.tryAcquirePermission();
    }

    void probeSucceeded(long nanos) {
        breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
    }

    void probeFailed(long nanos, Throwable error) {
        if (DatabaseFailures.isOutage(error)) {
            lastFailure.set(error);
        }
        breaker.onError(nanos, TimeUnit.NANOSECONDS, error);
    }

    private void transitioned(CircuitBreakerOnStateTransitionEvent event) {
        switch (event.getStateTransition()) {
            case CLOSED_TO_OPEN -> {
                downSinceNanos = System.nanoTime();
                log.warn("Database down ({}): answering 503 with Retry-After at once, probing every {}",
                        describe(lastFailure.get()), properties.retryInterval());
            }
            case HALF_OPEN_TO_CLOSED -> log.warn("Database up again after {} ms down: serving requests",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - downSinceNanos));
            default -> log.debug("database circuit {}", event.getStateTransition());
        }
    }

    /** The innermost cause, which says what happened (a read timed out, connection refused), without a stack trace. */
    private static String describe(Throwable error) {
        if (error == null) {
            return "unknown cause";
        }
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == error ? error.toString() : error.getClass().getSimpleName() + " caused by " + root;
    }

    @Override
    public String toString() {
        return "DatabaseAvailability{" + breaker.getState() + ", retry every " + properties.retryInterval() + "}";
    }
}
