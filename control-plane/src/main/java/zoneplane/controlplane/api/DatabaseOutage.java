package zoneplane.controlplane.api;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Recognises a failure that means the database cannot be reached (stopped, restarting, failing over,
 * the network): a temporary condition the API answers with 503 and {@code Retry-After}, not a 500.
 */
public final class DatabaseOutage {

    /** What clients are told to wait: long enough for a restart or failover to be under way. */
    static final String RETRY_AFTER_SECONDS = "5";

    private DatabaseOutage() {}

    /**
     * The 503 (code 9503, with {@code Retry-After}) for a request whose database work failed with
     * {@code cause}, for code that answers through {@link ApiException} (filters).
     */
    public static ApiException unavailable(Throwable cause) {
        return new Refusal(cause);
    }

    /** The 503 as an {@link ApiException}, keeping the failure (ApiException itself carries no cause). */
    static final class Refusal extends ApiException {

        private final transient Throwable failure;

        Refusal(Throwable failure) {
            super(ApiErrorCode.DATABASE_UNAVAILABLE, UNAVAILABLE_MESSAGE);
            this.failure = failure;
        }

        Throwable failure() {
            return failure;
        }
    }

    static final String UNAVAILABLE_MESSAGE = "The configuration database is unavailable; retry after Retry-After seconds";

    public static boolean is(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof DataAccessResourceFailureException || e instanceof CannotCreateTransactionException
                    || e instanceof SQLTransientConnectionException || e instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (e instanceof SQLException && (connectionState(((SQLException) e).getSQLState())
                    || closedPoolConnection((SQLException) e))) {
                return true;
            }
            for (Throwable suppressed : e.getSuppressed()) {
                if (is(suppressed)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether the database gave up on the request's statement within its bounds ({@code lock_timeout},
     * {@code statement_timeout}, SQLSTATE 55P03 / 57014): the database is reachable but busy, so the
     * answer is the same 503 with {@code Retry-After}, while nothing is taken to be down.
     */
    public static boolean timedOut(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof SQLException sql && ("55P03".equals(sql.getSQLState()) || "57014".equals(sql.getSQLState()))) {
                return true;
            }
            if (e.getCause() == e) {
                break;
            }
        }
        return false;
    }

    /**
     * HikariCP's answer (no SQLSTATE) for a connection it already closed because the server dropped it:
     * seen when a rollback after the real connection failure replaces that failure in the stack.
     */
    private static boolean closedPoolConnection(SQLException e) {
        return e.getSQLState() == null && "Connection is closed".equals(e.getMessage());
    }

    /** SQLSTATE class 08 (connection exception) or 57P (the server is shutting down or restarting). */
    private static boolean connectionState(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("57P"));
    }
}
