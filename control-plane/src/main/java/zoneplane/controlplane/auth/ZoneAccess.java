package zoneplane.controlplane.auth;

import java.util.Optional;
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
 */
@Component
public class ZoneAccess {

    private static final Pattern ZONE_ID = Pattern.compile("[0-9a-f]{32}");

    private final JdbcClient jdbc;

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
            throw new ApiException(ApiErrorCode.FORBIDDEN, "This token lacks the " + needed.wire() + " permission");
        }
    }

    private Optional<String> accountOf(String zoneId) {
        if (zoneId == null || !ZONE_ID.matcher(zoneId).matches()) {
            return Optional.empty();
        }
        return jdbc.sql("select account_id from zones where id = :id").param("id", zoneId).query(String.class).optional();
    }
}
