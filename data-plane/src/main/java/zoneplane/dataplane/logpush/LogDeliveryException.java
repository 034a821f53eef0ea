package zoneplane.dataplane.logpush;

/**
 * A batch did not reach its destination. The message goes to the zone owner as the job's
 * {@code error_message}, so it names what failed (status, refusal, timeout) and never a secret.
 */
public final class LogDeliveryException extends RuntimeException {

    private final boolean retryable;

    /**
     * @param message what failed, safe to show the zone owner
     * @param retryable false when sending the same batch again cannot succeed (the destination refused
     *     it as malformed or too large); the caller then drops it and counts it
     */
    public LogDeliveryException(String message, boolean retryable, Throwable cause) {
        super(message, cause, false, false);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
