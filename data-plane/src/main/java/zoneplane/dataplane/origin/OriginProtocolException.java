package zoneplane.dataplane.origin;

/** The origin sent something that is not a valid HTTP/1.1 response. */
public final class OriginProtocolException extends RuntimeException {

    OriginProtocolException(Throwable cause) {
        super("invalid response from origin: " + cause.getMessage(), cause, false, false);
    }
}
