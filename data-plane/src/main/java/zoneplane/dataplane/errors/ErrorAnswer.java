package zoneplane.dataplane.errors;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.timeout.TimeoutException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import zoneplane.dataplane.origin.ProhibitedOriginException;
import zoneplane.dataplane.origin.UploadTooLargeException;

/**
 * An answer the edge gives itself instead of the origin's: a status with one of {@link ErrorPages}'
 * pages explaining {@code detail}. Both visitor paths render it the same way.
 *
 * @param closeConnection whether the connection ends after it (the request's framing or body cannot be trusted)
 * @param retryAfterSeconds a {@code Retry-After} to send, or 0 for none
 */
public record ErrorAnswer(HttpResponseStatus status, String detail, boolean closeConnection, int retryAfterSeconds) {

    public static ErrorAnswer of(HttpResponseStatus status, String detail, boolean closeConnection) {
        return new ErrorAnswer(status, detail, closeConnection, 0);
    }

    /**
     * The answer for an exchange that failed before the visitor got a response head: 408 when the
     * visitor's body stalled, 400 when its chunked framing broke, 413 when it crossed the upload limit,
     * 504 when the origin was too slow, else 502.
     */
    public static ErrorAnswer forFailure(Throwable error) {
        if (RequestBodyTimeoutException.isCause(error)) {
            return of(HttpResponseStatus.REQUEST_TIMEOUT, RequestBodyTimeoutException.DETAIL, true);
        }
        if (MalformedBodyException.isCause(error)) {
            return of(HttpResponseStatus.BAD_REQUEST, MalformedBodyException.DETAIL, true);
        }
        if (error instanceof UploadTooLargeException) {
            return of(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "The request body is larger than this zone's maximum upload size.", true);
        }
        if (ProhibitedOriginException.isCause(error)) {
            return prohibitedOrigin();
        }
        if (isTimeout(error)) {
            return of(HttpResponseStatus.GATEWAY_TIMEOUT, "The origin server did not answer in time.", false);
        }
        return of(HttpResponseStatus.BAD_GATEWAY, isRefused(error)
                ? "The origin server refused the connection or could not be reached."
                : "The origin server closed the connection or sent an invalid response.", false);
    }

    /**
     * Cloudflare's "Error 1000: DNS points to prohibited IP", as a 502: the zone's origin is (or
     * resolves to) an address the edge does not connect to. The page names no address.
     */
    public static ErrorAnswer prohibitedOrigin() {
        return of(HttpResponseStatus.BAD_GATEWAY, PROHIBITED_ORIGIN_DETAIL, false);
    }

    /** The page text of {@link #prohibitedOrigin()}. */
    private static final String PROHIBITED_ORIGIN_DETAIL = "Error 1000: DNS points to prohibited IP. The origin server of this "
            + "site resolves to an address the edge does not connect to (loopback, private or reserved).";

    /** An origin too slow to connect or to answer, anywhere in the cause chain. */
    public static boolean isTimeout(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof TimeoutException || e instanceof ConnectTimeoutException
                    || e instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** An origin that refused the connection or whose name did not resolve, anywhere in the cause chain. */
    private static boolean isRefused(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof ConnectException || e instanceof UnknownHostException) {
                return true;
            }
        }
        return false;
    }
}
