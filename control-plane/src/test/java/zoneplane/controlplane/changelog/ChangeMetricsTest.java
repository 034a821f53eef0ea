package zoneplane.controlplane.changelog;

import static org.assertj.core.api.Assertions.assertThat;
import static zoneplane.testing.Envelopes.assertSuccess;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import zoneplane.controlplane.ControlPlaneEndpoints;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;
import zoneplane.testing.Fixtures;

class ChangeMetricsTest extends ControlPlaneIntegrationTest {

    @Test
    void acceptedChangesAreCountedByKindAndNoOpsAreNot() {
        double upserts = counter("zone_upserted");
        double deletions = counter("zone_deleted");
        String zone = new Fixtures(api()).zoneId("free");
        assertSuccess(api().patch("/zones/" + zone + "/settings/grpc", "{\"value\":\"on\"}"));
        assertSuccess(api().patch("/zones/" + zone + "/settings/grpc", "{\"value\":\"on\"}"));
        api().patch("/zones/" + zone + "/settings/grpc", "{\"value\":\"maybe\"}");
        assertSuccess(api().delete("/zones/" + zone));
        assertThat(counter("zone_upserted")).isEqualTo(upserts + 2);
        assertThat(counter("zone_deleted")).isEqualTo(deletions + 1);
    }

    private double counter(String kind) {
        String body = api().get(ControlPlaneEndpoints.PROMETHEUS_PATH).body();
        Matcher m = Pattern.compile("(?m)^zoneplane_changes_accepted_total\\{[^}]*kind=\"" + kind + "\"[^}]*} (\\S+)$").matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
