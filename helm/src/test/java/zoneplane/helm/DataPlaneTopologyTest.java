package zoneplane.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static zoneplane.helm.ZoneplaneChart.FULLNAME;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The data plane as a Deployment or a DaemonSet, and the edge Service in front of it. */
class DataPlaneTopologyTest {

    private static final String DATA_PLANE = FULLNAME + "-data-plane";
    private static final String CONTROL_PLANE = FULLNAME + "-control-plane";

    @Test
    void aDaemonSetReplacesTheDeploymentAndItsReplicaControls() {
        RenderedRelease release = ZoneplaneChart.render(ZoneplaneChart.ciScenario("production"));

        Manifest daemonSet = release.get("DaemonSet", DATA_PLANE);
        assertThat(release.find("Deployment", DATA_PLANE)).isEmpty();
        assertThat(release.find("HorizontalPodAutoscaler", DATA_PLANE)).isEmpty();
        assertThat(release.find("PodDisruptionBudget", DATA_PLANE)).isEmpty();
        assertThat(daemonSet.podSpec().get("nodeSelector")).isEqualTo(Map.of("zoneplane.io/edge", "true"));
        assertThat(daemonSet.at("spec.updateStrategy.type")).isEqualTo("RollingUpdate");
    }

    @Test
    void theDefaultDeploymentHasTwoSpreadReplicasAndADisruptionBudget() {
        RenderedRelease release = ZoneplaneChart.render();

        Manifest deployment = release.get("Deployment", DATA_PLANE);
        assertThat(deployment.at("spec.replicas")).isEqualTo(2);
        assertThat(Manifest.list(deployment.podSpec(), "topologySpreadConstraints"))
                .extracting(c -> c.get("topologyKey"))
                .containsExactly("kubernetes.io/hostname", "topology.kubernetes.io/zone");
        assertThat(release.get("PodDisruptionBudget", DATA_PLANE).map("spec.selector.matchLabels"))
                .isEqualTo(deployment.map("spec.selector.matchLabels"));
    }

    @Test
    void theEdgeServiceKeepsTheVisitorsAddressOnLoadBalancersAndNodePorts() {
        Manifest loadBalancer = ZoneplaneChart.render().get("Service", DATA_PLANE);
        assertThat(loadBalancer.at("spec.type")).isEqualTo("LoadBalancer");
        assertThat(loadBalancer.at("spec.externalTrafficPolicy")).isEqualTo("Local");

        Manifest nodePort = ZoneplaneChart.render(ZoneplaneChart.ciScenario("external-database"))
                .get("Service", DATA_PLANE);
        assertThat(nodePort.at("spec.type")).isEqualTo("NodePort");
        assertThat(nodePort.at("spec.externalTrafficPolicy")).isEqualTo("Local");
        assertThat(Manifest.list(nodePort.map("spec"), "ports"))
                .extracting(p -> p.get("nodePort"))
                .containsExactly(30080, 30443);

        Manifest clusterIp = ZoneplaneChart.render(ZoneplaneChart.ciScenario("minimal"))
                .get("Service", DATA_PLANE);
        assertThat(clusterIp.at("spec.type")).isEqualTo("ClusterIP");
        assertThat(clusterIp.map("spec")).doesNotContainKey("externalTrafficPolicy");
    }

    @Test
    void theNodeIdIsThePodNameAndTheCacheAVolume() {
        Map<String, Object> container = ZoneplaneChart.render().get("Deployment", DATA_PLANE).container("data-plane");
        Map<String, Object> nodeId = Manifest.asMap(SecretHandlingTest.envByName(container).get("ZONEPLANE_NODE_ID"));
        assertThat(Manifest.asMap(Manifest.asMap(nodeId.get("valueFrom")).get("fieldRef")))
                .containsEntry("fieldPath", "metadata.name");
        assertThat(Manifest.list(container, "volumeMounts"))
                .anyMatch(m -> "cache".equals(m.get("name")) && "/var/cache/zoneplane".equals(m.get("mountPath")));
    }

    @Test
    void aTlsSecretIsMountedAndItsFilesPassedToTheNode() {
        RenderedRelease release = ZoneplaneChart.render(ZoneplaneChart.ciScenario("production"));
        Manifest daemonSet = release.get("DaemonSet", DATA_PLANE);

        assertThat(Manifest.list(daemonSet.podSpec(), "volumes"))
                .anyMatch(v -> v.containsKey("secret")
                        && "zoneplane-edge-tls".equals(Manifest.asMap(v.get("secret")).get("secretName")));
        assertThat(release.get("ConfigMap", DATA_PLANE).map("data"))
                .containsEntry("ZONEPLANE_TLS_CERT_FILE", "/etc/zoneplane/tls/tls.crt")
                .containsEntry("ZONEPLANE_TLS_KEY_FILE", "/etc/zoneplane/tls/tls.key")
                .containsEntry("ZONEPLANE_TRUSTED_PROXIES", "10.0.0.0/8")
                .containsEntry("ZONEPLANE_PROXY_PROTOCOL", "true");
    }

    @Test
    void edgeHardeningValuesReachTheNode() {
        assertThat(ZoneplaneChart.render().get("ConfigMap", DATA_PLANE).map("data"))
                .containsEntry("ZONEPLANE_ACCESS_LOG", "off")
                .containsEntry("ZONEPLANE_REQUEST_HEADER_TIMEOUT", "10s")
                .containsEntry("ZONEPLANE_REQUEST_BODY_TIMEOUT", "30s")
                .containsEntry("ZONEPLANE_KEEPALIVE_TIMEOUT", "75s")
                .containsEntry("ZONEPLANE_HTTP1_FAST_PATH", "true")
                .containsEntry("ZONEPLANE_WEBSOCKET_LIMIT_ENFORCED", "false")
                .doesNotContainKey("ZONEPLANE_WEBSOCKET_LIMITS");

        Map<String, Object> data = ZoneplaneChart.render(null, Map.of("dataPlane.accessLog", "json",
                "dataPlane.webSocketLimitEnforced", "true", "dataPlane.webSocketLimits", "free=5",
                "dataPlane.keepAliveTimeout", "20s", "dataPlane.http1FastPath", "false"))
                .get("ConfigMap", DATA_PLANE).map("data");
        assertThat(data).containsEntry("ZONEPLANE_ACCESS_LOG", "json")
                .containsEntry("ZONEPLANE_KEEPALIVE_TIMEOUT", "20s")
                .containsEntry("ZONEPLANE_HTTP1_FAST_PATH", "false")
                .containsEntry("ZONEPLANE_WEBSOCKET_LIMIT_ENFORCED", "true")
                .containsEntry("ZONEPLANE_WEBSOCKET_LIMITS", "free=5");
    }

    @Test
    void oneValueSwitchesBothPlanesLogsToElasticCommonSchemaJson() {
        RenderedRelease text = ZoneplaneChart.render();
        assertThat(text.get("ConfigMap", DATA_PLANE).map("data")).containsEntry("ZONEPLANE_LOG_FORMAT", "text");
        assertThat(text.get("ConfigMap", CONTROL_PLANE).map("data"))
                .doesNotContainKey("LOGGING_STRUCTURED_FORMAT_CONSOLE");

        RenderedRelease ecs = ZoneplaneChart.render(null, Map.of("logging.format", "ecs"));
        assertThat(ecs.get("ConfigMap", DATA_PLANE).map("data")).containsEntry("ZONEPLANE_LOG_FORMAT", "ecs");
        assertThat(ecs.get("ConfigMap", CONTROL_PLANE).map("data"))
                .containsEntry("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs");
    }

    @Test
    void podsRollWhenTheirConfigurationChanges() {
        String before = checksum(ZoneplaneChart.render(), "Deployment", DATA_PLANE);
        String after = checksum(ZoneplaneChart.render(null, Map.of("dataPlane.onionAddress", "example.onion")),
                "Deployment", DATA_PLANE);
        assertThat(after).isNotEqualTo(before);

        String controlBefore = checksum(ZoneplaneChart.render(), "Deployment", CONTROL_PLANE);
        String controlAfter = checksum(
                ZoneplaneChart.render(null, Map.of("controlPlane.corsAllowedOrigins[0]", "https://dash.example")),
                "Deployment", CONTROL_PLANE);
        assertThat(controlAfter).isNotEqualTo(controlBefore);
        assertThat(checksum(ZoneplaneChart.render(), "Deployment", CONTROL_PLANE)).isEqualTo(controlBefore);
    }

    @Test
    void theControlPlaneScalesWithAnAutoscalerInsteadOfFixedReplicas() {
        RenderedRelease release = ZoneplaneChart.render(ZoneplaneChart.ciScenario("production"));
        Manifest deployment = release.get("Deployment", CONTROL_PLANE);
        Manifest autoscaler = release.get("HorizontalPodAutoscaler", CONTROL_PLANE);

        assertThat(deployment.map("spec")).doesNotContainKey("replicas");
        assertThat(autoscaler.map("spec.scaleTargetRef")).containsEntry("name", CONTROL_PLANE);
        assertThat(autoscaler.at("spec.minReplicas")).isEqualTo(3);
        assertThat(release.get("PodDisruptionBudget", CONTROL_PLANE)).isNotNull();
    }

    @Test
    void theIngressExposesTheApiAndTheConsoleButNotActuatorOrInternalPaths() {
        Manifest ingress = ZoneplaneChart.render(ZoneplaneChart.ciScenario("production")).get("Ingress", CONTROL_PLANE);
        List<Map<String, Object>> rules = Manifest.list(ingress.map("spec"), "rules");
        List<Object> paths = rules.stream()
                .flatMap(rule -> Manifest.list(Manifest.asMap(rule.get("http")), "paths").stream())
                .map(path -> path.get("path"))
                .toList();
        assertThat(paths).containsExactly("/client/v4", "/openapi.json", "/dashboard");
    }

    private static String checksum(RenderedRelease release, String kind, String name) {
        return (String) release.get(kind, name).map("spec.template.metadata.annotations").get("checksum/config");
    }
}
