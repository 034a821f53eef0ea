package zoneplane.controlplane.database;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Recognises, from a failure's cause chain, a database that cannot be reached (stopped, restarting,
 * failing over, the network) and one that gave up on a statement within its bounds. Both are temporary;
 * the API answers them with 503 ({@code api.DatabaseOutage}), the availability tracker counts outages.
 */
public final class DatabaseFailures {

    private DatabaseFailures() {}

    /** Whether {@code error} means the database cannot be reached. */
    public static boolean isOutage(Throwable error) {
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
                if (isOutage(suppressed)) {
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
