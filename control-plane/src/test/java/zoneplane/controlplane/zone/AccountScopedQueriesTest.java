package zoneplane.controlplane.zone;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import zoneplane.controlplane.account.AccountRepository;
import zoneplane.controlplane.account.AccountScope;
import zoneplane.controlplane.api.ApiErrorCode;
import zoneplane.controlplane.api.ApiException;
import zoneplane.controlplane.api.PageRequest;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;
import zoneplane.testing.Fixtures;

/**
 * The queries tokens will rely on: with an account scope, another account's zone is answered
 * exactly like a zone that does not exist, and listings show only the scope's zones.
 */
class AccountScopedQueriesTest extends ControlPlaneIntegrationTest {

    @Autowired
    ZoneRepository zones;

    @Autowired
    AccountRepository accounts;

    @Test
    void anotherAccountsZoneIsIndistinguishableFromAMissingOne() {
        Fixtures fixtures = new Fixtures(api());
        String a = fixtures.account();
        String b = fixtures.account();
        String zoneOfA = fixtures.zone(a, Fixtures.uniqueName(), "free").get("id").asString();
        String zoneOfB = fixtures.zone(b, Fixtures.uniqueName(), "free").get("id").asString();

        assertThat(zones.require(AccountScope.of(a), zoneOfA).accountId()).isEqualTo(a);
        assertThat(zones.require(AccountScope.unrestricted(), zoneOfB).accountId()).isEqualTo(b);
        ApiException hidden = catchApi(() -> zones.require(AccountScope.of(a), zoneOfB));
        ApiException missing = catchApi(() -> zones.require(AccountScope.of(a), "0123456789abcdef0123456789abcdef"));
        assertThat(hidden.code()).isEqualTo(ApiErrorCode.INVALID_ZONE).isEqualTo(missing.code());
        assertThat(hidden.getMessage()).isEqualTo(missing.getMessage());

        List<Zone> listed = zones.list(AccountScope.of(a), ZoneFilter.ALL, new PageRequest(1, 50));
        assertThat(listed).extracting(Zone::accountId).containsOnly(a);
        assertThat(zones.count(AccountScope.of(a), ZoneFilter.parse(null, b, null, null, null, null, null))).isZero();
        assertThat(accounts.find(AccountScope.of(a), b)).isEmpty();
        assertThat(accounts.find(AccountScope.of(b), b)).isPresent();
    }

    private static ApiException catchApi(Runnable call) {
        try {
            call.run();
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("expected the lookup to fail with an ApiException");
    }
}
