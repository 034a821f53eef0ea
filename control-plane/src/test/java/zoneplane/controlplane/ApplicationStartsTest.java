package zoneplane.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;
import zoneplane.testing.ApiClient;

class ApplicationStartsTest extends ControlPlaneIntegrationTest {

    @Test
    void readinessIsUpOnceMigrationsRanOnRealPostgres() {
        ApiClient.Response readiness = api().get(ControlPlaneEndpoints.READINESS_PATH);
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.json().get("status").asString()).isEqualTo("UP");
        assertThat(api().get(ControlPlaneEndpoints.LIVENESS_PATH).status()).isEqualTo(200);
    }
}
