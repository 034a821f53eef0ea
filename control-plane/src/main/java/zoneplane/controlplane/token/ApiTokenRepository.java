package zoneplane.controlplane.token;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import zoneplane.controlplane.api.PageRequest;
import zoneplane.controlplane.auth.Permission;
import zoneplane.controlplane.auth.StoredToken;
import zoneplane.controlplane.auth.ZoneScope;
import zoneplane.controlplane.database.SqlArrays;

/**
 * API tokens in PostgreSQL. Management reads are always within one account; the digest lookup
 * serves authentication (through {@link TokenLookup}). Permission names and zone ids are bound as
 * typed {@code text[]} parameters ({@link SqlArrays}).
 */
@Repository
class ApiTokenRepository {

    /** last_used_on is kept to the minute: one write per token per minute, not one per request. */
    static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);

    private static final String COLUMNS =
            "id, account_id, name, permissions, zone_ids, expires_on, revoked_on, created_on, last_used_on";

    private final JdbcClient jdbc;

    ApiTokenRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The token whose secret has this SHA-256 digest, revoked or expired ones included. */
    Optional<StoredToken> findByDigest(byte[] digest) {
        return jdbc.sql("select id, account_id, token_hash, permissions, zone_ids, expires_on, revoked_on, last_used_on"
                        + " from api_tokens where token_hash = :hash")
                .param("hash", digest)
                .query((rs, row) -> new StoredToken(rs.getString("id"), rs.getString("account_id"), rs.getBytes("token_hash"),
                        permissionSet(rs.getArray("permissions")), scope(rs.getArray("zone_ids")),
                        instant(rs, "expires_on"), instant(rs, "revoked_on"), instant(rs, "last_used_on")))
                .optional();
    }

    /** Records the use at {@code now} unless the token's last use is recent enough; whether it wrote. */
    boolean markUsed(StoredToken token, Instant now) {
        if (token.lastUsedOn() != null && token.lastUsedOn().isAfter(now.minus(LAST_USED_RESOLUTION))) {
            return false;
        }
        jdbc.sql("update api_tokens set last_used_on = :now where id = :id and (last_used_on is null or last_used_on < :now)")
                .param("now", now.atOffset(ZoneOffset.UTC))
                .param("id", token.id())
                .update();
        return true;
    }

    /** {@code NOTIFY channel, payload}, delivered to every listener when the current transaction commits. */
    void notify(String channel, String payload) {
        jdbc.sql("select pg_notify(:channel, :payload)").param("channel", channel).param("payload", payload)
                .query().singleRow();
    }

    ApiToken insert(String id, String accountId, TokenRequest request, byte[] digest) {
        return jdbc.sql("insert into api_tokens (id, account_id, name, token_hash, permissions, zone_ids, expires_on)"
                        + " values (:id, :account, :name, :hash, cast(:permissions as text[]), cast(:zones as text[]), :expires)"
                        + " returning " + COLUMNS)
                .param("id", id)
                .param("account", accountId)
                .param("name", request.name())
                .param("hash", digest)
                .param("permissions", SqlArrays.text(request.permissions().stream().map(Permission::wire).toList()))
                .param("zones", request.zoneIds() == null ? null : SqlArrays.text(request.zoneIds()))
                .param("expires", request.expiresOn() == null ? null : request.expiresOn().atOffset(ZoneOffset.UTC))
                .query(ApiTokenRepository::map)
                .single();
    }

    Optional<ApiToken> find(String accountId, String id) {
        return jdbc.sql("select " + COLUMNS + " from api_tokens where account_id = :account and id = :id")
                .param("account", accountId)
                .param("id", id)
                .query(ApiTokenRepository::map)
                .optional();
    }

    List<ApiToken> list(String accountId, PageRequest page) {
        return jdbc.sql("select " + COLUMNS + " from api_tokens where account_id = :account"
                        + " order by created_on desc, id limit :limit offset :offset")
                .param("account", accountId)
                .param("limit", page.perPage())
                .param("offset", page.offset())
                .query(ApiTokenRepository::map)
                .list();
    }

    long count(String accountId) {
        return jdbc.sql("select count(*) from api_tokens where account_id = :account")
                .param("account", accountId)
                .query(Long.class)
                .single();
    }

    /** Revokes the token if it is not revoked yet; empty when it already was (or is not in the account). */
    Optional<ApiToken> revoke(String accountId, String id) {
        return jdbc.sql("update api_tokens set revoked_on = now() where account_id = :account and id = :id"
                        + " and revoked_on is null returning " + COLUMNS)
                .param("account", accountId)
                .param("id", id)
                .query(ApiTokenRepository::map)
                .optional();
    }

    /** How many of these zones belong to the account (zones of other accounts count as absent). */
    int countZonesOf(String accountId, List<String> zoneIds) {
        return jdbc.sql("select count(*) from zones where account_id = :account and id = any (cast(:zones as text[]))")
                .param("account", accountId)
                .param("zones", SqlArrays.text(zoneIds))
                .query(Integer.class)
                .single();
    }

    private static ApiToken map(ResultSet rs, int row) throws SQLException {
        Array zones = rs.getArray("zone_ids");
        return new ApiToken(rs.getString("id"), rs.getString("account_id"), rs.getString("name"),
                new ArrayList<>(permissionSet(rs.getArray("permissions"))),
                zones == null ? null : Arrays.asList(strings(zones)),
                instant(rs, "expires_on"), instant(rs, "revoked_on"), instant(rs, "created_on"), instant(rs, "last_used_on"));
    }

    private static Set<Permission> permissionSet(Array array) throws SQLException {
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        for (String wire : strings(array)) {
            // the schema only admits known names, so an unknown one means the schema and code disagree
            permissions.add(Permission.fromWire(wire).orElseThrow(() -> new IllegalStateException("unknown permission in database")));
        }
        return permissions;
    }

    private static ZoneScope scope(Array zones) throws SQLException {
        return zones == null ? ZoneScope.all() : ZoneScope.only(Set.of(strings(zones)));
    }

    private static String[] strings(Array array) throws SQLException {
        return (String[]) array.getArray();
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
