package zoneplane.controlplane.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Cloudflare's v4 response envelope, used for every answer of the API (successes and errors):
 * {@code {"success":…,"errors":[{"code","message"}],"messages":[{"code","message"}],"result":…}}, plus
 * {@code result_info} on lists. {@code result} is always present ({@code null} on errors);
 * {@code result_info} only on lists.
 */
public record Envelope<T>(
        boolean success,
        List<ApiError> errors,
        List<ApiMessage> messages,
        T result,
        @JsonProperty("result_info") @JsonInclude(JsonInclude.Include.NON_NULL) ResultInfo resultInfo) {

    public Envelope {
        errors = List.copyOf(errors);
        messages = List.copyOf(messages);
    }

    public static <T> Envelope<T> of(T result) {
        return new Envelope<>(true, List.of(), List.of(), result, null);
    }

    /** A success with an informational note in {@code messages} (Cloudflare's shape: code and message). */
    public static <T> Envelope<T> of(T result, ApiMessage message) {
        return new Envelope<>(true, List.of(), List.of(message), result, null);
    }

    public static <T> Envelope<List<T>> list(List<T> result, ResultInfo info) {
        return new Envelope<>(true, List.of(), List.of(), List.copyOf(result), info);
    }

    public static Envelope<Object> failure(ApiError error) {
        return new Envelope<>(false, List.of(error), List.of(), null, null);
    }
}
