package zoneplane.controlplane.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One entry of the envelope's {@code errors}: a Cloudflare-style numeric code and a safe message.
 * Like Cloudflare's, an error may carry an {@code error_chain} of more specific causes (e.g. 6003
 * "Invalid request headers" with 6111 "Invalid format for Authorization header"); the field is
 * left out when there are none.
 */
public record ApiError(
        int code,
        String message,
        @JsonProperty("error_chain") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ApiError> errorChain) {

    public ApiError {
        errorChain = errorChain == null ? List.of() : List.copyOf(errorChain);
    }

    public ApiError(int code, String message) {
        this(code, message, List.of());
    }
}
