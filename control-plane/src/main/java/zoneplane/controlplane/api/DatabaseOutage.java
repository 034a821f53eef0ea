package zoneplane.controlplane.api;

/**
 * The API's answer to a database that cannot be reached or gave up on a statement
 * ({@link zoneplane.controlplane.database.DatabaseFailures} recognises those): a temporary condition
 * answered with 503 and {@code Retry-After}, not a 500.
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
}
