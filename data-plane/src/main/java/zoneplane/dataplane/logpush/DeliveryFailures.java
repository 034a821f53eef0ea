package zoneplane.dataplane.logpush;

import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;
import zoneplane.dataplane.origin.ProhibitedOriginException;

/** What a failed delivery means for the batch: the failure to report, and whether a retry may duplicate. */
final class DeliveryFailures {

    private DeliveryFailures() {}

    /** The destination's {@link LogDeliveryException}; anything else it threw, as a retryable one naming its kind. */
    static LogDeliveryException of(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof LogDeliveryException e ? e
                : new LogDeliveryException("delivery failed: " + cause.getClass().getSimpleName(), true, cause);
    }

    /**
     * Whether a failed attempt may have reached the destination, so that sending the batch again may
     * duplicate it: anything but a connection that was never made (refused, timed out connecting, a name
     * that does not resolve or resolves to a prohibited address). An answer such as 500 or 503 counts: the
     * receiver had the batch and may have kept some of it.
     */
    static boolean mayHaveArrived(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause()) {
            if (e instanceof ConnectException || e instanceof ConnectTimeoutException || e instanceof UnknownHostException
                    || e instanceof ProhibitedOriginException) {
                return false;
            }
        }
        return true;
    }
}
