package zoneplane.model.wire;

/** Input that is not a valid zone, change or snapshot document. The message is safe to log. */
public final class WireFormatException extends RuntimeException {

    public WireFormatException(String message) {
        super(message);
    }

    public WireFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
