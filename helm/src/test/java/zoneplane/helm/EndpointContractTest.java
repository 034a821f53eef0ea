package zoneplane.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static zoneplane.helm.ZoneplaneChart.FULLNAME;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ports, probes and scrape paths in the chart are those the applications serve: the expectations
 * are the applications' own constants ({@link ApplicationEndpoints}), so a change on either side
 * fails here.
 */
class EndpointContractTest {

    private static final ApplicationEndpoints.ControlPlane CONTROL_PLANE_APP = ApplicationEndpoints.controlPlane();
    private static final ApplicationEndpoints.DataPlane DATA_PLANE_APP = ApplicationEndpoints.dataPlane();
    private static final String CONTROL_PLANE = FULLNAME + "-control-plane";
    private static final String DATA_PLANE = FULLNAME + "-data-plane";

    /** "default" has a data-plane Deployment, "production" a DaemonSet and ServiceMonitors. */
    private static RenderedRelease render(String scenario) {
        return ZoneplaneChart.render(ZoneplaneChart.ciScenario(scenario));
    }

    private static Manifest dataPlaneWorkload(RenderedRelease release) {
        return release.find("Deployment", DATA_PLANE).orElseGet(() -> release.get("DaemonSet", DATA_PLANE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "production"})
    void controlPlaneProbesHitTheActuatorHealthGroupsOnTheApiPort(String scenario) {
        Map<String, Object> container =
                render(scenario).get("Deployment", CONTROL_PLANE).container("control-plane");

        assertThat(containerPort(container, "http")).isEqualTo(CONTROL_PLANE_APP.port());
        assertThat(httpProbe(container, "livenessProbe"))
                .containsEntry("path", CONTROL_PLANE_APP.liveness())
                .containsEntry("port", "http");
        assertThat(httpProbe(container, "readinessProbe"))
                .containsEntry("path", CONTROL_PLANE_APP.readiness())
                .containsEntry("port", "http");
        assertThat(httpProbe(container, "startupProbe"))
                .containsEntry("path", CONTROL_PLANE_APP.liveness())
                .containsEntry("port", "http");
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "production"})
    void dataPlaneListensOnItsDefaultPortsAndIsProbedOnTheManagementPort(String scenario) {
        RenderedRelease release = render(scenario);
        Map<String, Object> container = dataPlaneWorkload(release).container("data-plane");

        assertThat(containerPort(container, "http")).isEqualTo(DATA_PLANE_APP.httpPort());
        assertThat(containerPort(container, "https")).isEqualTo(DATA_PLANE_APP.httpsPort());
        assertThat(containerPort(container, "management")).isEqualTo(DATA_PLANE_APP.managementPort());
        assertThat(httpProbe(container, "livenessProbe"))
                .containsEntry("path", DATA_PLANE_APP.liveness())
                .containsEntry("port", "management");
        assertThat(httpProbe(container, "readinessProbe"))
                .containsEntry("path", DATA_PLANE_APP.readiness())
                .containsEntry("port", "management");
        assertThat(httpProbe(container, "startupProbe"))
                .containsEntry("path", DATA_PLANE_APP.readiness())
                .containsEntry("port", "management");

        // The ports the node binds are told to it, and equal the container ports.
        Map<String, Object> config = release.get("ConfigMap", DATA_PLANE).map("data");
        assertThat(config)
                .containsEntry("ZONEPLANE_HTTP_PORT", String.valueOf(DATA_PLANE_APP.httpPort()))
                .containsEntry("ZONEPLANE_HTTPS_PORT", String.valueOf(DATA_PLANE_APP.httpsPort()))
                .containsEntry("ZONEPLANE_MANAGEMENT_PORT", String.valueOf(DATA_PLANE_APP.managementPort()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "production"})
    void dataPlaneSubscribesToTheControlPlaneServiceWhichReachesTheApiPort(String scenario) {
        RenderedRelease release = render(scenario);
        Manifest service = release.get("Service", CONTROL_PLANE);
        Map<String, Object> port = servicePort(service, "http");

        assertThat(port).containsEntry("targetPort", "http");
        assertThat(release.get("ConfigMap", DATA_PLANE).map("data"))
                .containsEntry("ZONEPLANE_CONTROL_PLANE_URL", "http://" + CONTROL_PLANE + ":" + port.get("port"));
        assertThat(service.map("spec.selector"))
                .isEqualTo(release.get("Deployment", CONTROL_PLANE).map("spec.selector.matchLabels"));
    }

    @Test
    void listedControlPlaneReplicasReplaceTheServiceAndABadEntryIsRefusedByTheSchema() {
        Map<String, Object> data = ZoneplaneChart.render(null, Map.of(
                "dataPlane.controlPlaneUrls[0]", "http://cp-a.example.internal:8080",
                "dataPlane.controlPlaneUrls[1]", "https://cp-b.example.internal",
                "dataPlane.controlPlaneHeartbeatTimeout", "5s")).get("ConfigMap", DATA_PLANE).map("data");

        assertThat(data)
                .containsEntry("ZONEPLANE_CONTROL_PLANE_URL", "http://cp-a.example.internal:8080,https://cp-b.example.internal")
                .containsEntry("ZONEPLANE_CONTROL_PLANE_HEARTBEAT_TIMEOUT", "5s");
        assertThat(render("default").get("ConfigMap", DATA_PLANE).map("data"))
                .containsEntry("ZONEPLANE_CONTROL_PLANE_HEARTBEAT_TIMEOUT", "15s");
        assertThatThrownBy(() -> ZoneplaneChart.render(null, Map.of("dataPlane.controlPlaneUrls[0]", "cp-a:8080")))
                .hasMessageContaining("controlPlaneUrls");
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "production"})
    void edgeServiceForwardsHttpAndHttpsAndTheManagementServiceTheMetricsPort(String scenario) {
        RenderedRelease release = render(scenario);

        Manifest edge = release.get("Service", DATA_PLANE);
        assertThat(servicePort(edge, "http")).containsEntry("port", 80).containsEntry("targetPort", "http");
        assertThat(servicePort(edge, "https")).containsEntry("port", 443).containsEntry("targetPort", "https");
        assertThat(Manifest.list(edge.map("spec"), "ports"))
                .as("management is never exposed on the edge Service")
                .noneMatch(port -> "management".equals(port.get("targetPort")));

        Manifest management = release.get("Service", DATA_PLANE + "-management");
        assertThat(management.at("spec.type")).isEqualTo("ClusterIP");
        assertThat(servicePort(management, "management"))
                .containsEntry("port", DATA_PLANE_APP.managementPort())
                .containsEntry("targetPort", "management");
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "production"})
    void imagesAreTheComponentsImagesAtTheChartsAppVersionUnlessPinned(String scenario) {
        RenderedRelease release = render(scenario);
        String prefix = "production".equals(scenario) ? "registry.example.com/" : "";

        assertThat(release.get("Deployment", CONTROL_PLANE).container("control-plane").get("image"))
                .isEqualTo(prefix + "zoneplane/control-plane:0.1.0");
        assertThat(dataPlaneWorkload(release).container("data-plane").get("image"))
                .isEqualTo(prefix + "zoneplane/data-plane:0.1.0");
        Manifest migrations = release.ofKind("Job").get(0);
        assertThat(migrations.container("migrations").get("image"))
                .as("migrations run the control plane's own image")
                .isEqualTo(prefix + "zoneplane/control-plane:0.1.0");
    }

    @org.junit.jupiter.api.Test
    void serviceMonitorsScrapeTheApplicationsMetricsPaths() {
        RenderedRelease release = render("production");

        Map<String, Object> controlPlane = endpoint(release.get("ServiceMonitor", CONTROL_PLANE));
        assertThat(controlPlane)
                .containsEntry("port", "http")
                .containsEntry("path", CONTROL_PLANE_APP.prometheus());
        // The monitor scrapes without credentials, so the control plane must serve its metrics to it.
        assertThat(release.get("ConfigMap", CONTROL_PLANE).map("data"))
                .containsEntry("ZONEPLANE_AUTH_ANONYMOUS_METRICS", "true");
        assertThat(render("default").get("ConfigMap", CONTROL_PLANE).map("data"))
                .containsEntry("ZONEPLANE_AUTH_ANONYMOUS_METRICS", "false");
        Map<String, Object> dataPlane = endpoint(release.get("ServiceMonitor", DATA_PLANE));
        assertThat(dataPlane)
                .containsEntry("port", "management")
                .containsEntry("path", DATA_PLANE_APP.metrics());

        // The data plane's monitor selects the management Service only, not the edge Service.
        Map<String, Object> selector =
                release.get("ServiceMonitor", DATA_PLANE).map("spec.selector.matchLabels");
        Map<String, Object> managementLabels =
                release.get("Service", DATA_PLANE + "-management").map("metadata.labels");
        Map<String, Object> edgeLabels = release.get("Service", DATA_PLANE).map("metadata.labels");
        assertThat(managementLabels).containsAllEntriesOf(selector);
        assertThat(edgeLabels.entrySet().containsAll(selector.entrySet()))
                .as("the edge Service matches the data plane's ServiceMonitor")
                .isFalse();
    }

    private static Map<String, Object> endpoint(Manifest monitor) {
        List<Map<String, Object>> endpoints = Manifest.list(monitor.map("spec"), "endpoints");
        assertThat(endpoints).hasSize(1);
        return endpoints.get(0);
    }

    private static Object containerPort(Map<String, Object> container, String name) {
        return Manifest.list(container, "ports").stream()
                .filter(port -> name.equals(port.get("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no container port " + name))
                .get("containerPort");
    }

    private static Map<String, Object> httpProbe(Map<String, Object> container, String probe) {
        Object definition = container.get(probe);
        assertThat(definition).as(probe).isNotNull();
        return Manifest.asMap(Manifest.asMap(definition).get("httpGet"));
    }

    private static Map<String, Object> servicePort(Manifest service, String name) {
        return Manifest.list(service.map("spec"), "ports").stream()
                .filter(port -> name.equals(port.get("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError(service + " has no port " + name));
    }
}
