package zoneplane.dataplane.errors;

import java.time.Duration;

/**
 * The visitor paused longer than {@code ZONEPLANE_REQUEST_BODY_TIMEOUT} between two reads of a request
 * body. Raised into the request's inbound stream by {@code guard.SlowClientGuard}, so the origin request is
 * aborted and the proxy answers 408 (or resets, once the response has started).
 */
public final class RequestBodyTimeoutException extends RuntimeException {

    static final String DETAIL = "The request body did not arrive in time.";

    public RequestBodyTimeoutException(Duration gap) {
        super("no request body bytes for " + gap, null, false, false);
    }

    /** Whether {@code error}, or one of its causes, is a request body timeout. */
    public static boolean isCause(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof RequestBodyTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
