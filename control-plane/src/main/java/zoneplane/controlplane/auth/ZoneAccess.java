package zoneplane.controlplane.auth;

import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Optional;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import zoneplane.controlplane.api.ApiErrorCode;
import zoneplane.controlplane.api.ApiException;

/**
 * The gate of zone endpoints: first "may the caller know this zone exists" (its account's token,
 * and the zone in the token's zone list if it has one; else 404 code 1001, exactly as for a zone
 * that does not exist), then "may it do this" (else 403). The operator passes both; the
 * controller answers 404 for zones that do not exist.
 *
 * <p>Which account owns a zone is remembered once seen: a zone never moves to another account, and
 * zone ids are random and never reused, so the answer stays true for the zone's whole life and the
 * gate costs no query on the hot path (a setting PATCH). After a zone is deleted, its own account's
 * tokens still pass this gate and the endpoint answers 404, as it does for the operator; other
 * accounts are refused exactly as before. Zones not found are never remembered (they may be
 * created). Bounded: past {@link #MAX_REMEMBERED} zones the least used are forgotten.
 */
@Component
public class ZoneAccess {

    private static final Pattern ZONE_ID = Pattern.compile("[0-9a-f]{32}");

    static final int MAX_REMEMBERED = 50_000;

    private final JdbcClient jdbc;
    private final ConcurrentMap<String, String> owners = Caffeine.newBuilder().maximumSize(MAX_REMEMBERED).<String, String>build().asMap();

    ZoneAccess(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void require(Caller caller, String zoneId, Permission needed) {
        if (caller.isOperator()) {
            return;
        }
        Optional<String> account = accountOf(zoneId);
        if (account.isEmpty() || !caller.canSeeZone(account.get(), zoneId)) {
            throw new ApiException(ApiErrorCode.INVALID_ZONE, "Invalid zone identifier");
        }
        if (!caller.has(needed)) {
            throw new ApiException(ApiErrorCode.PERMISSION_DENIED, "This token lacks the " + needed.wire() + " permission");
        }
    }

    private Optional<String> accountOf(String zoneId) {
        if (zoneId == null || !ZONE_ID.matcher(zoneId).matches()) {
            return Optional.empty();
        }
        String known = owners.get(zoneId);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<String> owner = jdbc.sql("select account_id from zones where id = :id").param("id", zoneId).query(String.class).optional();
        owner.ifPresent(account -> owners.put(zoneId, account));
        return owner;
    }
}
