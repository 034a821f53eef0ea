package zoneplane.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StartupWarmUpTest {

    @Test
    void warmUpServesOneRequestOnAThrowawayLoopbackListener() {
        assertThat(DataPlaneMain.ListenerWarmUp.run()).isEqualTo("HTTP/1.1 204 No Content");
    }

    @Test
    void warmUpCanRunAgainBecauseItReleasesItsListener() {
        for (int i = 0; i < 3; i++) {
            assertThat(DataPlaneMain.ListenerWarmUp.run()).startsWith("HTTP/1.1 204");
        }
    }

    @Test
    void platformWarmUpInitialisesTheDefaultTlsContextAndTheManagementBeans() {
        assertThat(DataPlaneMain.PlatformWarmUp.run())
                .hasSize(3)
                .first().isEqualTo("tls Default");
    }
}
