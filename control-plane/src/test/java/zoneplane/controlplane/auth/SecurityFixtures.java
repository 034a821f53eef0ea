package zoneplane.controlplane.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import zoneplane.testing.ApiClient;

/**
 * Accounts and tokens for security tests, made through the real API where one exists (tokens) and
 * straight in the database where the API is not this feature's (accounts), plus a fingerprint of
 * everything the API could change, to prove that a refused request changed nothing.
 */
public final class SecurityFixtures {

    /** A token as issued: its id and its secret. */
    public record Issued(String id, String value) {}

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ApiClient operator;
    private final JdbcClient jdbc;

    public SecurityFixtures(ApiClient operator, JdbcClient jdbc) {
        this.operator = operator;
        this.jdbc = jdbc;
    }

    public static String newId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    public String account() {
        String id = newId();
        jdbc.sql("insert into accounts (id, name) values (:id, :name)").param("id", id).param("name", "Tenant " + id).update();
        return id;
    }

    public String zone(String accountId) {
        String id = newId();
        jdbc.sql("insert into zones (id, account_id, name) values (:id, :account, :name)")
                .param("id", id).param("account", accountId).param("name", "z" + id + ".example.com").update();
        return id;
    }

    public Issued token(String accountId, String... permissions) {
        return token(accountId, List.of(permissions), null);
    }

    public Issued token(String accountId, List<String> permissions, List<String> zones) {
        String body = "{\"name\":\"test token\",\"permissions\":" + quoted(permissions)
                + (zones == null ? "" : ",\"zones\":" + quoted(zones)) + "}";
        ApiClient.Response created = operator.post("/accounts/" + accountId + "/tokens", body);
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        JsonNode result = created.result();
        return new Issued(result.get("id").asString(), result.get("value").asString());
    }

    public Issued revokedToken(String accountId, String... permissions) {
        Issued token = token(accountId, permissions);
        ApiClient.Response revoked = operator.delete("/accounts/" + accountId + "/tokens/" + token.id());
        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
        return token;
    }

    /** A token that expired a second ago (the API only accepts future expiry dates, so the clock is set back here). */
    public Issued expiredToken(String accountId, String... permissions) {
        Issued token = token(accountId, permissions);
        jdbc.sql("update api_tokens set expires_on = now() - interval '1 second' where id = :id").param("id", token.id()).update();
        return token;
    }

    /**
     * A digest of every row the API can change: all tables but Flyway's history and the rate-limit
     * buckets (which every authenticated request touches), with api_tokens.last_used_on left out
     * (authentication stamps it). Analytics' scheduled upkeep is left out too: the rollup watermark the
     * rollup job advances, and the partitions the maintenance job creates ahead (their rows are counted
     * through their parent tables).
     */
    public String fingerprint() {
        List<String> tables = jdbc.sql("select table_name from information_schema.tables where table_schema = 'public'"
                        + " and table_type = 'BASE TABLE' and table_name not in ('flyway_schema_history', 'rate_limit_buckets',"
                        + " 'analytics_rollup_watermark') and table_name !~ '^analytics_.*_p[0-9]+$'"
                        + " order by table_name")
                .query(String.class).list();
        return tables.stream().map(this::tableDigest).collect(Collectors.joining(";"));
    }

    private String tableDigest(String table) {
        String row = table.equals("api_tokens") ? "(t.id, t.account_id, t.name, t.token_hash, t.permissions, t.zone_ids,"
                + " t.expires_on, t.revoked_on, t.created_on)::text" : "t::text";
        return table + "=" + jdbc.sql("select count(*) || ':' || coalesce(md5(string_agg(" + row + ", '|' order by " + row
                + ")), '') from " + table + " t").query(String.class).single();
    }

    private static String quoted(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(",", "[", "]"));
    }
}
