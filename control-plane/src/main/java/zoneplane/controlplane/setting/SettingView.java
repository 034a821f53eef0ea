package zoneplane.controlplane.setting;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One setting of one zone as Cloudflare shows it: {@code value} is a string for word settings and an
 * integer for sizes; {@code modified_on} is null while the plan default applies.
 */
@Schema(name = "ZoneSetting")
public record SettingView(
        @Schema(example = "websockets") String id,
        @Schema(description = "string (on/off/…) or integer (max_upload, megabytes)", example = "on") Object value,
        boolean editable,
        @JsonProperty("modified_on") @Schema(nullable = true, example = "2026-11-23T10:00:00.123456Z") String modifiedOn) {

    /** Strong ETag of this representation: changes whenever value, editability or modification time do. */
    @JsonIgnore
    public String etag() {
        String state = id + '\n' + value + '\n' + editable + '\n' + modifiedOn;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(state.getBytes(StandardCharsets.UTF_8));
            return '"' + HexFormat.of().formatHex(digest, 0, 12) + '"';
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }
}
