package zoneplane.controlplane.token;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import zoneplane.controlplane.api.ApiMessage;
import zoneplane.controlplane.api.Envelope;
import zoneplane.controlplane.api.Timestamps;
import zoneplane.controlplane.auth.Caller;
import zoneplane.controlplane.auth.Permission;

/**
 * {@code GET /user/tokens/verify}, Cloudflare's shape: {@code {"id","status":"active","expires_on"?}}.
 * Any valid token may call it (an invalid one never gets here: 401, code 1000 "Invalid API Token").
 * Like Cloudflare it says so in {@code messages}: code 10000 "This API Token is valid and active".
 * The operator's bootstrap token
 * answers with id {@code operator}.
 */
@RestController
@Tag(name = "API tokens")
class TokenVerifyController {

    /**
     * Cloudflare's fields plus Zoneplane's {@code permissions} and {@code account_id}, so a console
     * can show read-only cards before the first refused change. The operator lists every permission.
     */
    record Verified(String id, String status, @JsonProperty("expires_on") @JsonInclude(JsonInclude.Include.NON_NULL) String expiresOn,
            List<String> permissions, @JsonProperty("account_id") @JsonInclude(JsonInclude.Include.NON_NULL) String accountId) {}

    /** What Cloudflare puts in {@code messages} of a successful verification (scripts look for this text). */
    static final ApiMessage VALID = new ApiMessage(10000, "This API Token is valid and active");

    private final ApiTokenRepository tokens;

    TokenVerifyController(ApiTokenRepository tokens) {
        this.tokens = tokens;
    }

    @GetMapping("/user/tokens/verify")
    @Operation(summary = "Verify the presented token")
    Envelope<Verified> verify(Caller caller) {
        if (caller.isOperator()) {
            return Envelope.of(new Verified(Caller.OPERATOR_ID, "active", null, wire(EnumSet.allOf(Permission.class)), null), VALID);
        }
        String expires = tokens.find(caller.accountId(), caller.tokenId())
                .map(t -> Timestamps.format(t.expiresOn()))
                .orElse(null);
        return Envelope.of(new Verified(caller.tokenId(), "active", expires, wire(caller.permissions()), caller.accountId()), VALID);
    }

    private static List<String> wire(Set<Permission> permissions) {
        return permissions.stream().map(Permission::wire).sorted().toList();
    }
}
