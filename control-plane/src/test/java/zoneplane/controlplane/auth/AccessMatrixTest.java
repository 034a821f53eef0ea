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
import zoneplane.controlplane.support.ApiClient;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;

/**
 * Every endpoint × every kind of caller, generated: no token, a malformed header, a revoked token, an
 * expired token, a token of the right account without the needed permission, a token of another
 * account holding every permission, and the right token. Each case asserts the exact status and,
 * unless it is the right token on a changing endpoint, that nothing in the database changed.
 */
class AccessMatrixTest extends ControlPlaneIntegrationTest {

    enum Kind { NO_TOKEN, MALFORMED, REVOKED, EXPIRED, WRONG_PERMISSION, OTHER_TENANT, RIGHT }

    /**
     * One endpoint: how to build its request against tenant A (a fresh path per case, so a case
     * that deletes something cannot affect the next), the permission it needs (null: any valid
     * token), whether a success changes data, and its success status.
     */
    record Endpoint(String name, String method, Supplier<String> path, String body, Permission needed, boolean changes, int success) {}

    @Autowired
    JdbcClient jdbc;

    SecurityFixtures fixtures;
    String tenantA;
    String tenantB;
    final Map<Set<Permission>, String> tokensOfA = new HashMap<>();
    String allOfB;
    String revokedOfA;
    String expiredOfA;

    @TestFactory
    Stream<DynamicTest> everyEndpointAnswersEveryKindOfCallerExactlyAndRefusalsChangeNothing() {
        fixtures = new SecurityFixtures(api(), jdbc);
        tenantA = fixtures.account();
        tenantB = fixtures.account();
        String allPermissions = "account:admin,zone:read,zone:edit,zone_settings:read,zone_settings:edit";
        allOfB = fixtures.token(tenantB, allPermissions.split(",")).value();
        revokedOfA = fixtures.revokedToken(tenantA, allPermissions.split(",")).value();
        expiredOfA = fixtures.expiredToken(tenantA, allPermissions.split(",")).value();

        List<DynamicTest> cases = new ArrayList<>();
        for (Endpoint endpoint : endpoints()) {
            for (Kind kind : Kind.values()) {
                cases.add(DynamicTest.dynamicTest(endpoint.name() + " as " + kind, () -> check(endpoint, kind)));
            }
        }
        return cases.stream();
    }

    List<Endpoint> endpoints() {
        Supplier<String> tokens = () -> "/accounts/" + tenantA + "/tokens";
        Supplier<String> oneToken = () -> "/accounts/" + tenantA + "/tokens/" + fixtures.token(tenantA, "zone:read").id();
        return List.of(
                new Endpoint("POST tokens", "POST", tokens, "{\"name\":\"m\",\"permissions\":[\"zone:read\"]}", Permission.ACCOUNT_ADMIN, true, 200),
                new Endpoint("GET tokens", "GET", tokens, null, Permission.ACCOUNT_ADMIN, false, 200),
                new Endpoint("GET token", "GET", oneToken, null, Permission.ACCOUNT_ADMIN, false, 200),
                new Endpoint("DELETE token", "DELETE", oneToken, null, Permission.ACCOUNT_ADMIN, true, 200),
                new Endpoint("GET audit_logs", "GET", () -> "/accounts/" + tenantA + "/audit_logs", null, Permission.ACCOUNT_ADMIN, false, 200),
                new Endpoint("GET verify", "GET", () -> "/user/tokens/verify", null, null, false, 200));
    }

    void check(Endpoint endpoint, Kind kind) {
        ApiClient client = client(endpoint, kind);
        String path = endpoint.path().get();
        String before = fixtures.fingerprint();
        ApiClient.Response response = client.send(endpoint.method(), path, endpoint.body(),
                endpoint.body() == null ? null : "application/json");
        int expected = expectedStatus(endpoint, kind);
        assertThat(response.status()).as(response.toString()).isEqualTo(expected);
        assertThat(response.json().get("success").asBoolean()).isEqualTo(expected < 300);
        if (expected == 401) {
            assertThat(response.errorCode()).isEqualTo(10000);
            assertThat(response.header("WWW-Authenticate")).isPresent();
        } else if (expected == 403) {
            assertThat(response.errorCode()).isEqualTo(9109);
        }
        boolean mayChange = kind == Kind.RIGHT && endpoint.changes();
        if (mayChange) {
            assertThat(fixtures.fingerprint()).as("the right token's change happened").isNotEqualTo(before);
        } else {
            assertThat(fixtures.fingerprint()).as("nothing changed").isEqualTo(before);
        }
    }

    static int expectedStatus(Endpoint endpoint, Kind kind) {
        switch (kind) {
            case NO_TOKEN:
            case MALFORMED:
            case REVOKED:
            case EXPIRED:
                return 401;
            case WRONG_PERMISSION:
                return endpoint.needed() == null ? endpoint.success() : 403;
            case OTHER_TENANT:
                return endpoint.needed() == null ? endpoint.success() : 404;
            default:
                return endpoint.success();
        }
    }

    ApiClient client(Endpoint endpoint, Kind kind) {
        switch (kind) {
            case NO_TOKEN:
                return anonymous();
            case MALFORMED:
                return anonymous().withHeader("Authorization", "Bearer " + tokenOfA(all()) + " trailing");
            case REVOKED:
                return anonymous().withToken(revokedOfA);
            case EXPIRED:
                return anonymous().withToken(expiredOfA);
            case WRONG_PERMISSION:
                return anonymous().withToken(tokenOfA(allBut(endpoint.needed())));
            case OTHER_TENANT:
                return anonymous().withToken(allOfB);
            default:
                return anonymous().withToken(tokenOfA(endpoint.needed() == null ? EnumSet.of(Permission.ZONE_READ) : EnumSet.of(endpoint.needed())));
        }
    }

    static Set<Permission> all() {
        return EnumSet.allOf(Permission.class);
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
