package zoneplane.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** values.schema.json turns wrong values into an error naming the value, before anything renders. */
class ValuesSchemaTest {

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "controlPlane.replicas, two, replicas",
        "controlPlane.replicas, 0, replicas",
        "dataPlane.kind, StatefulSet, kind",
        "dataPlane.service.type, Ingress, type",
        "dataPlane.service.externalTrafficPolicy, Nearest, externalTrafficPolicy",
        "dataPlane.proxyProtocol, yes, proxyProtocol",
        "dataPlane.accessLog, combined, accessLog",
        "dataPlane.requestBodyTimeout, soon, requestBodyTimeout",
        "dataPlane.keepAliveTimeout, a while, keepAliveTimeout",
        "dataPlane.http1FastPath, fast, http1FastPath",
        "postgresql.enabled, maybe, enabled",
        "database.url, postgres://db:5432/zoneplane, url",
        "serviceMonitor.interval, 30 seconds, interval",
        "controlPlane.service.port, 70000, port",
        "controlPlane.replicsa, 3, replicsa",
        "grafanaDashboards.enabled, sometimes, enabled",
        "prometheusRule.edge5xxRatio, high, edge5xxRatio",
        "prometheusRule.propagationLagFor, a bit, propagationLagFor",
        "prometheusRule.staleNodeSeconds, 0, staleNodeSeconds",
        "controlPlane.image.digest, latest, digest",
        "dataPlane.sidecarz, x, sidecarz",
    })
    void aWrongValueFailsWithAMessageNamingIt(String key, String value, String named) {
        assertThatThrownBy(() -> ZoneplaneChart.render(null, Map.of(key, value)))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining(named);
    }

    @Test
    void aWrongTypeInAValuesFileFailsToo() throws Exception {
        var file = java.nio.file.Files.createTempFile("wrong-type", "-values.yaml");
        try {
            java.nio.file.Files.writeString(file, "dataPlane:\n  trustedProxies: 10.0.0.0/8\n");
            assertThatThrownBy(() -> ZoneplaneChart.render(file))
                    .hasMessageContaining("trustedProxies");
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    @Test
    void anExternalDatabaseWithoutAUrlIsRefusedWithTheFix() {
        assertThatThrownBy(() -> ZoneplaneChart.render(null, Map.of("postgresql.enabled", false)))
                .hasMessageContaining("set database.url");
    }

    @Test
    void theDefaultsAndEveryScenarioSatisfyTheSchema() {
        assertThat(ZoneplaneChart.render().all()).isNotEmpty();
        for (var scenario : ZoneplaneChart.ciScenarios()) {
            assertThat(ZoneplaneChart.render(scenario).all()).as(scenario.getFileName().toString()).isNotEmpty();
        }
    }
}
