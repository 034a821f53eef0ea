package zoneplane.controlplane.api;

import java.util.Objects;

/**
 * The one exception features throw to answer a request with an error: the {@link ApiErrorCode}
 * fixes the HTTP status and numeric code, the message is shown to the caller as is, so it must be
 * safe (no SQL, no class names, no secrets). {@link ApiExceptionHandler} turns it into the envelope.
 * The kinds of failure are the rows of {@link ApiErrorCode} rather than subclasses, so adding one is
 * one line in that table.
 */
public class ApiException extends RuntimeException {

    private final ApiErrorCode code;

    public ApiException(ApiErrorCode code, String message) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ApiErrorCode code() {
        return code;
    }

    public ApiError toError() {
        return new ApiError(code.code(), getMessage());
    }
}
