package zoneplane.controlplane.token;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import zoneplane.controlplane.api.ApiErrorCode;
import zoneplane.controlplane.api.ApiException;
import zoneplane.controlplane.api.JsonBody;
import zoneplane.controlplane.api.PageRequest;
import zoneplane.controlplane.audit.AuditAction;
import zoneplane.controlplane.audit.AuditEvent;
import zoneplane.controlplane.audit.AuditTrail;
import zoneplane.controlplane.auth.TokenDigest;

/**
 * Creating, listing and revoking an account's tokens. Callers have already passed the account gate
 * (the account is visible to them and they hold {@code account:admin}). Creation and revocation
 * write their audit row in the same transaction. Revocation takes effect on the next request, on
 * every replica: it is announced to all of them ({@link TokenLookup}).
 */
@Service
class ApiTokenService {

    private final ApiTokenRepository tokens;
    private final TokenLookup lookup;
    private final AuditTrail audit;
    private final Clock clock = Clock.systemUTC();

    ApiTokenService(ApiTokenRepository tokens, TokenLookup lookup, AuditTrail audit) {
        this.tokens = tokens;
        this.lookup = lookup;
        this.audit = audit;
    }

    @Transactional
    CreatedToken create(String accountId, TokenRequest request) {
        if (request.zoneIds() != null && tokens.countZonesOf(accountId, request.zoneIds()) != request.zoneIds().size()) {
            // the same answer for a zone that does not exist and one of another account
            throw JsonBody.invalid("Field 'zones' names a zone that is not in this account");
        }
        String secret = TokenSecrets.newSecret();
        ApiToken token = tokens.insert(TokenSecrets.newId(), accountId, request, TokenDigest.sha256(secret));
        audit.record(AuditEvent.of(accountId, AuditAction.TOKEN_CREATED).values(null, describe(token)));
        return CreatedToken.of(TokenView.of(token, now()), secret);
    }

    List<TokenView> list(String accountId, PageRequest page) {
        Instant now = now();
        return tokens.list(accountId, page).stream().map(t -> TokenView.of(t, now)).toList();
    }

    long count(String accountId) {
        return tokens.count(accountId);
    }

    TokenView get(String accountId, String id) {
        return TokenView.of(require(accountId, id), now());
    }

    /** Revokes the token; revoking a revoked token changes nothing (and records nothing). */
    @Transactional
    TokenView revoke(String accountId, String id) {
        ApiToken before = require(accountId, id);
        ApiToken after = tokens.revoke(accountId, id).orElse(before);
        lookup.announceRevocation(id); // also when revoked already: perhaps by hand in the database
        if (before.revokedOn() == null) {
            audit.record(AuditEvent.of(accountId, AuditAction.TOKEN_REVOKED).values(describe(before), describe(after)));
        }
        return TokenView.of(after, now());
    }

    private ApiToken require(String accountId, String id) {
        return tokens.find(accountId, id).orElseThrow(() -> new ApiException(ApiErrorCode.UNKNOWN_TOKEN, "Invalid token identifier"));
    }

    /** What the audit log keeps of a token: never its secret or digest. */
    private static Map<String, Object> describe(ApiToken token) {
        Map<String, Object> description = new LinkedHashMap<>();
        TokenView view = TokenView.of(token, Instant.EPOCH);
        description.put("id", view.id());
        description.put("name", view.name());
        description.put("permissions", view.permissions());
        description.put("zones", view.zones());
        description.put("expires_on", view.expiresOn());
        description.put("revoked_on", view.revokedOn());
        return description;
    }

    private Instant now() {
        return clock.instant();
    }
}
