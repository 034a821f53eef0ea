package zoneplane.controlplane.analytics;

/**
 * A GraphQL dataset or usage query this API will not run (a bad filter, a limit, a time range
 * beyond the dataset's, no permission). GraphQL answers it as an error of the field
 * ({@code extensions.code}); the usage endpoints as a 400 envelope.
 */
final class AnalyticsQueryException extends RuntimeException {

    /** {@code extensions.code} of a query the caller got wrong. */
    static final String BAD_REQUEST = "BAD_REQUEST";
    /** {@code extensions.code} of a query the caller may not run. */
    static final String FORBIDDEN = "FORBIDDEN";

    private final String code;

    AnalyticsQueryException(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    static AnalyticsQueryException badRequest(String message) {
        return new AnalyticsQueryException(BAD_REQUEST, message);
    }

    String code() {
        return code;
    }
}
