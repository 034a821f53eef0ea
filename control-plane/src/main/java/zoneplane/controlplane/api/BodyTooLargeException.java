package zoneplane.controlplane.api;

import java.io.IOException;

/**
 * Thrown by {@link RequestBodyLimitFilter}'s counting stream when a body without Content-Length
 * (chunked) crosses the limit while being read. An {@link IOException} so that JSON readers pass it
 * on as a read failure; {@link ApiExceptionHandler} finds it in the cause chain and answers 413.
 */
public final class BodyTooLargeException extends IOException {

    public BodyTooLargeException(long limit) {
        super("request body larger than " + limit + " bytes");
    }
}
