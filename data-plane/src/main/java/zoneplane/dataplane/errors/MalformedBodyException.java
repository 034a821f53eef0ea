package zoneplane.dataplane.errors;

/**
 * The visitor's request body broke its own framing (a chunk size, extension, terminator or trailer
 * that does not parse). The origin request is aborted, never completed, and the visitor gets 400, or
 * a reset once the response has started.
 */
public final class MalformedBodyException extends RuntimeException {

    static final String DETAIL = "The request body's chunked framing is malformed.";

    public MalformedBodyException(Throwable cause) {
        super(DETAIL, cause, false, false);
    }

    /** Whether {@code error}, or one of its causes, is a malformed body. */
    static boolean isCause(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof MalformedBodyException) {
                return true;
            }
        }
        return false;
    }
}
