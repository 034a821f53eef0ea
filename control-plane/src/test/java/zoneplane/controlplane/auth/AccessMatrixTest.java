package zoneplane.controlplane.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;
import zoneplane.testing.ApiClient;
import zoneplane.testing.Fixtures;

/**
 * Every endpoint × every kind of caller, generated: no token, a malformed header, a revoked token, an
 * expired token, a token of the right account without the needed permission, a token of another
 * account holding every permission, a token of the right account with every zone permission but
 * limited to another zone, and the right token. Each case asserts the exact status and, unless it
 * is the right token on a changing endpoint, that nothing in the database changed.
 */
class AccessMatrixTest extends ControlPlaneIntegrationTest {

    enum Kind { NO_TOKEN, MALFORMED, REVOKED, EXPIRED, WRONG_PERMISSION, OTHER_TENANT, OTHER_ZONE_ONLY, RIGHT }

    /** Who may call an endpoint. */
    enum Access { OPERATOR_ONLY, ANY_TOKEN, ACCOUNT, ACCOUNT_WIDE, ZONE }

    /**
     * One endpoint: how to build its request against tenant A (fresh per case, so a case that
     * deletes or changes something cannot affect the next), who may call it and with what
     * permission, whether a success changes data, its success status, and what another tenant's
     * all-powerful token gets (404 where the resource is A's; 200 on lists, filtered to nothing of A).
     */
    record Endpoint(String name, String method, Supplier<String> path, Supplier<String> body, Access access,
            Permission needed, boolean changes, int success, int otherTenant) {}

    @Autowired
    JdbcClient jdbc;

    SecurityFixtures fixtures;
    Fixtures zonesApi;
    String tenantA;
    String tenantB;
    String zoneOfA;
    final Map<Set<Permission>, String> tokensOfA = new HashMap<>();
    String allOfB;
    String revokedOfA;
    String expiredOfA;
    String otherZoneOnlyOfA;

    @TestFactory
    Stream<DynamicTest> everyEndpointAnswersEveryKindOfCallerExactlyAndRefusalsChangeNothing() {
        fixtures = new SecurityFixtures(api(), jdbc);
        zonesApi = new Fixtures(api());
        tenantA = zonesApi.account();
        tenantB = zonesApi.account();
        zoneOfA = zone();
        String[] all = {"account:admin", "zone:read", "zone:edit", "zone_settings:read", "zone_settings:edit"};
        allOfB = fixtures.token(tenantB, all).value();
        revokedOfA = fixtures.revokedToken(tenantA, all).value();
        expiredOfA = fixtures.expiredToken(tenantA, all).value();
        otherZoneOnlyOfA = fixtures.token(tenantA, List.of("zone:read", "zone:edit", "zone_settings:read", "zone_settings:edit"),
                List.of(zone())).value();

        List<DynamicTest> cases = new ArrayList<>();
        for (Endpoint endpoint : endpoints()) {
            for (Kind kind : Kind.values()) {
                cases.add(DynamicTest.dynamicTest(endpoint.name() + " as " + kind, () -> check(endpoint, kind)));
            }
        }
        return cases.stream();
    }

    String zone() {
        return zonesApi.zone(tenantA, Fixtures.uniqueName(), "free").get("id").asString();
    }

    List<Endpoint> endpoints() {
        Supplier<String> none = () -> null;
        Supplier<String> tokens = () -> "/accounts/" + tenantA + "/tokens";
        Supplier<String> oneToken = () -> "/accounts/" + tenantA + "/tokens/" + fixtures.token(tenantA, "zone:read").id();
        Supplier<String> existingZone = () -> "/zones/" + zoneOfA;
        Supplier<String> freshZone = () -> "/zones/" + zone();
        return List.of(
                new Endpoint("POST accounts", "POST", () -> "/accounts", () -> "{\"name\":\"New tenant\"}", Access.OPERATOR_ONLY, null, true, 200, 403),
                new Endpoint("GET accounts", "GET", () -> "/accounts", none, Access.ANY_TOKEN, null, false, 200, 200),
                new Endpoint("GET account", "GET", () -> "/accounts/" + tenantA, none, Access.ANY_TOKEN, null, false, 200, 404),
                new Endpoint("POST tokens", "POST", tokens, () -> "{\"name\":\"m\",\"permissions\":[\"zone:read\"]}", Access.ACCOUNT,
                        Permission.ACCOUNT_ADMIN, true, 200, 404),
                new Endpoint("GET tokens", "GET", tokens, none, Access.ACCOUNT, Permission.ACCOUNT_ADMIN, false, 200, 404),
                new Endpoint("GET token", "GET", oneToken, none, Access.ACCOUNT, Permission.ACCOUNT_ADMIN, false, 200, 404),
                new Endpoint("DELETE token", "DELETE", oneToken, none, Access.ACCOUNT, Permission.ACCOUNT_ADMIN, true, 200, 404),
                new Endpoint("GET audit_logs", "GET", () -> "/accounts/" + tenantA + "/audit_logs", none, Access.ACCOUNT,
                        Permission.ACCOUNT_ADMIN, false, 200, 404),
                new Endpoint("GET verify", "GET", () -> "/user/tokens/verify", none, Access.ANY_TOKEN, null, false, 200, 200),
                new Endpoint("POST zones", "POST", () -> "/zones", () -> "{\"account\":{\"id\":\"" + tenantA + "\"},\"name\":\""
                        + Fixtures.uniqueName() + "\",\"type\":\"full\"}", Access.ACCOUNT_WIDE, Permission.ZONE_EDIT, true, 200, 404),
                new Endpoint("GET zones", "GET", () -> "/zones", none, Access.ACCOUNT, Permission.ZONE_READ, false, 200, 200),
                new Endpoint("GET zones by account.id", "GET", () -> "/zones?account.id=" + tenantA, none, Access.ACCOUNT,
                        Permission.ZONE_READ, false, 200, 200),
                new Endpoint("GET zone", "GET", existingZone, none, Access.ZONE, Permission.ZONE_READ, false, 200, 404),
                new Endpoint("PATCH zone", "PATCH", freshZone, () -> "{\"paused\":true}", Access.ZONE, Permission.ZONE_EDIT, true, 200, 404),
                new Endpoint("DELETE zone", "DELETE", freshZone, none, Access.ZONE, Permission.ZONE_EDIT, true, 200, 404),
                // the zone is active already: the check changes nothing
                new Endpoint("PUT activation_check", "PUT", () -> "/zones/" + zoneOfA + "/activation_check", none, Access.ZONE,
                        Permission.ZONE_EDIT, false, 200, 404),
                new Endpoint("GET dns_records", "GET", () -> "/zones/" + zoneOfA + "/dns_records", none, Access.ZONE,
                        Permission.ZONE_READ, false, 200, 404),
                new Endpoint("GET propagation", "GET", () -> "/zones/" + zoneOfA + "/propagation", none, Access.ZONE,
                        Permission.ZONE_READ, false, 200, 404),
                new Endpoint("GET settings", "GET", () -> "/zones/" + zoneOfA + "/settings", none, Access.ZONE,
                        Permission.ZONE_SETTINGS_READ, false, 200, 404),
                new Endpoint("GET setting", "GET", () -> "/zones/" + zoneOfA + "/settings/ipv6", none, Access.ZONE,
                        Permission.ZONE_SETTINGS_READ, false, 200, 404),
                new Endpoint("PATCH setting", "PATCH", () -> "/zones/" + zone() + "/settings/websockets", () -> "{\"value\":\"off\"}",
                        Access.ZONE, Permission.ZONE_SETTINGS_EDIT, true, 200, 404),
                new Endpoint("PATCH settings", "PATCH", () -> "/zones/" + zone() + "/settings",
                        () -> "{\"items\":[{\"id\":\"grpc\",\"value\":\"on\"},{\"id\":\"pseudo_ipv4\",\"value\":\"add_header\"}]}",
                        Access.ZONE, Permission.ZONE_SETTINGS_EDIT, true, 200, 404),
                new Endpoint("GET edge_nodes", "GET", () -> "/edge_nodes", none, Access.OPERATOR_ONLY, null, false, 200, 403));
    }

    void check(Endpoint endpoint, Kind kind) {
        ApiClient client = client(endpoint, kind);
        String path = endpoint.path().get();
        String body = endpoint.body().get();
        String before = fixtures.fingerprint();
        ApiClient.Response response = client.send(endpoint.method(), path, body, body == null ? null : "application/json");
        int expected = expectedStatus(endpoint, kind);
        assertThat(response.status()).as(response.toString()).isEqualTo(expected);
        assertThat(response.json().get("success").asBoolean()).isEqualTo(expected < 300);
        if (kind == Kind.NO_TOKEN || kind == Kind.MALFORMED || expected == 401) {
            // Cloudflare's codes: 9106 nothing sent, 6003 (chain 6111) malformed, 10000 unknown/revoked/expired
            assertThat(response.errorCode()).as(response.toString())
                    .isEqualTo(kind == Kind.NO_TOKEN ? 9106 : kind == Kind.MALFORMED ? 6003
                            : path.endsWith("/user/tokens/verify") ? 1000 : 10000);
            assertThat(response.header("WWW-Authenticate")).isPresent();
        } else if (expected == 403) {
            // 10000 for a permission the token lacks (Cloudflare's); 9109 for the operator's operations and
            // for a zone-limited token creating a zone
            boolean operatorsOrZoneLimited = endpoint.access() == Access.OPERATOR_ONLY
                    || (kind == Kind.OTHER_ZONE_ONLY && endpoint.access() != Access.ACCOUNT);
            assertThat(response.errorCode()).as(response.toString()).isEqualTo(operatorsOrZoneLimited ? 9109 : 10000);
        }
        if (kind == Kind.OTHER_TENANT || kind == Kind.OTHER_ZONE_ONLY) {
            // whatever it answers, nothing of A (or of A's other zones) is revealed
            assertThat(response.body()).doesNotContain(kind == Kind.OTHER_TENANT ? tenantA : zoneOfA);
        }
        if (kind == Kind.RIGHT && endpoint.changes()) {
            assertThat(fixtures.fingerprint()).as("the right token's change happened").isNotEqualTo(before);
        } else {
            assertThat(fixtures.fingerprint()).as("nothing changed").isEqualTo(before);
        }
    }

    static int expectedStatus(Endpoint endpoint, Kind kind) {
        switch (kind) {
            case NO_TOKEN:
            case MALFORMED:
                return 400;
            case REVOKED:
            case EXPIRED:
                return 401;
            case WRONG_PERMISSION:
                return endpoint.access() == Access.OPERATOR_ONLY ? 403 : endpoint.needed() == null ? endpoint.success() : 403;
            case OTHER_TENANT:
                return endpoint.otherTenant();
            case OTHER_ZONE_ONLY:
                switch (endpoint.access()) {
                    case ZONE:
                        return 404;
                    case ANY_TOKEN:
                        return endpoint.success();
                    case ACCOUNT:
                        return endpoint.needed() == Permission.ACCOUNT_ADMIN ? 403 : endpoint.success();
                    default:
                        return 403;
                }
            default:
                return endpoint.success();
        }
    }

    ApiClient client(Endpoint endpoint, Kind kind) {
        switch (kind) {
            case NO_TOKEN:
                return anonymous();
            case MALFORMED:
                return anonymous().withHeader("Authorization", "Bearer " + tokenOfA(EnumSet.allOf(Permission.class)) + " trailing");
            case REVOKED:
                return anonymous().withToken(revokedOfA);
            case EXPIRED:
                return anonymous().withToken(expiredOfA);
            case WRONG_PERMISSION:
                return anonymous().withToken(tokenOfA(allBut(endpoint.needed())));
            case OTHER_TENANT:
                return anonymous().withToken(allOfB);
            case OTHER_ZONE_ONLY:
                return anonymous().withToken(otherZoneOnlyOfA);
            default:
                if (endpoint.access() == Access.OPERATOR_ONLY) {
                    return api();
                }
                return anonymous().withToken(tokenOfA(endpoint.needed() == null ? EnumSet.of(Permission.ZONE_READ) : EnumSet.of(endpoint.needed())));
        }
    }

    /** Every permission except those that would allow what {@code needed} allows. */
    static Set<Permission> allBut(Permission needed) {
        Set<Permission> permissions = EnumSet.allOf(Permission.class);
        if (needed != null) {
            permissions.removeIf(p -> p.covers(needed));
        }
        return permissions;
    }

    String tokenOfA(Set<Permission> permissions) {
        return tokensOfA.computeIfAbsent(Set.copyOf(permissions), set -> fixtures.token(tenantA,
                set.stream().map(Permission::wire).toArray(String[]::new)).value());
    }
}
