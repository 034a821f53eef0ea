package zoneplane.controlplane.api;

import java.util.List;
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
    private final List<ApiError> chain;

    public ApiException(ApiErrorCode code, String message) {
        this(code, message, List.of());
    }

    /** An error with Cloudflare's {@code error_chain}: the more specific causes, most specific last. */
    public ApiException(ApiErrorCode code, String message, List<ApiError> chain) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.code = Objects.requireNonNull(code, "code");
        this.chain = List.copyOf(chain);
    }

    public ApiErrorCode code() {
        return code;
    }

    public ApiError toError() {
        return new ApiError(code.code(), getMessage(), chain);
    }
}
