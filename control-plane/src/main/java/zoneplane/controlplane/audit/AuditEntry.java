package zoneplane.controlplane.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One audit log row as the API answers it (newest first in lists). {@code old_value} and
 * {@code new_value} are the stored JSON as is ({@code null} when there was none).
 */
public record AuditEntry(
        String id,
        String when,
        String action,
        Actor actor,
        @JsonProperty("account_id") String accountId,
        @JsonProperty("zone_id") String zoneId,
        @JsonProperty("setting_id") String settingId,
        @JsonProperty("old_value") @JsonRawValue String oldValue,
        @JsonProperty("new_value") @JsonRawValue String newValue,
        Long revision,
        @JsonProperty("request_id") String requestId) {

    /**
     * Who made the change: {@code type} operator, token (with its {@code id} and {@code name}, the
     * token's name now: tokens are never deleted, only revoked) or system; and from where.
     */
    public record Actor(String type, @JsonInclude(JsonInclude.Include.NON_NULL) String id, String ip,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "the token's name (token actors only)", example = "ci deploy")
            String name) {}
}
