package zoneplane.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Image references (digest, tag, global registry) and the extension points of both components' pods. */
class ChartExtensionPointsTest {

    private static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "defaults                   |                 |           |             | zoneplane/control-plane:0.1.0",
        "own registry               |                 | reg.local |             | reg.local/zoneplane/control-plane:0.1.0",
        "tag                        |                 |           | 0.2.0       | zoneplane/control-plane:0.2.0",
        "digest wins over tag       | DIGEST          |           | 0.2.0       | zoneplane/control-plane@DIGEST",
        "global registry wins       |                 | reg.local | global      | mirror.local/zoneplane/control-plane:0.1.0",
        "global registry and digest | DIGEST          |           | global      | mirror.local/zoneplane/control-plane@DIGEST",
    })
    void theControlPlaneImageReference(String scenario, String digest, String registry, String tagOrGlobal,
            String expected) {
        Map<String, Object> sets = new LinkedHashMap<>();
        if (digest != null) {
            sets.put("controlPlane.image.digest", DIGEST);
        }
        if (registry != null) {
            sets.put("controlPlane.image.registry", registry);
        }
        if ("global".equals(tagOrGlobal)) {
            sets.put("global.imageRegistry", "mirror.local");
        } else if (tagOrGlobal != null) {
            sets.put("controlPlane.image.tag", tagOrGlobal);
        }
        RenderedRelease release = ZoneplaneChart.render(null, sets);

        assertThat(release.get("Deployment", ZoneplaneChart.FULLNAME + "-control-plane")
                .container("control-plane").get("image")).isEqualTo(expected.replace("DIGEST", DIGEST));
    }

    @Test
    void theGlobalRegistryReachesEveryImageOfEveryWorkload() {
        RenderedRelease release = ZoneplaneChart.render(null, Map.of("global.imageRegistry", "mirror.local"));

        assertThat(release.workloads()).isNotEmpty().allSatisfy(workload ->
                assertThat(workload.allContainers()).allSatisfy(container ->
                        assertThat((String) container.get("image")).as(workload + " " + container.get("name"))
                                .startsWith("mirror.local/")));
    }

    @Test
    void thePinnedImagesProfileTakesEveryImageFromTheMirrorAndTheDigests() {
        RenderedRelease release = ZoneplaneChart.render(ZoneplaneChart.ciScenario("pinned-images"));

        assertThat(release.get("Deployment", ZoneplaneChart.FULLNAME + "-control-plane").container("control-plane")
                .get("image")).asString().startsWith("mirror.example.internal/zoneplane/control-plane@sha256:");
        assertThat(release.get("Deployment", ZoneplaneChart.FULLNAME + "-data-plane").container("data-plane")
                .get("image")).asString().startsWith("mirror.example.internal/zoneplane/data-plane@sha256:");
        assertThat(release.get("StatefulSet", ZoneplaneChart.FULLNAME + "-postgresql").container("postgresql")
                .get("image")).asString().startsWith("mirror.example.internal/library/postgres@sha256:");
    }

    @Test
    void aDigestThatIsNoDigestIsRefused() {
        assertThatThrownBy(() -> ZoneplaneChart.render(null, Map.of("dataPlane.image.digest", "latest")))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining("digest");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"controlPlane, control-plane, Deployment", "dataPlane, data-plane, Deployment",
        "dataPlane, data-plane, DaemonSet"})
    void extraEnvFromVolumesSidecarsAndInitContainersReachThePod(String key, String component, String kind) {
        Map<String, Object> sets = new LinkedHashMap<>();
        sets.put("dataPlane.kind", kind);
        sets.put(key + ".extraEnvFrom[0].secretRef.name", "extra-env");
        sets.put(key + ".extraVolumes[0].name", "extra");
        sets.put(key + ".extraVolumes[0].emptyDir.medium", "Memory");
        sets.put(key + ".extraVolumeMounts[0].name", "extra");
        sets.put(key + ".extraVolumeMounts[0].mountPath", "/extra");
        sets.put(key + ".sidecars[0].name", "shipper");
        sets.put(key + ".sidecars[0].image", "example/shipper:1");
        // tpl: a sidecar may name the release's own objects.
        sets.put(key + ".sidecars[0].args[0]", "{{ .Release.Name }}-logs");
        sets.put(key + ".initContainers[0].name", "prepare");
        sets.put(key + ".initContainers[0].image", "example/prepare:1");
        Manifest workload = ZoneplaneChart.render(null, sets).get(kind, ZoneplaneChart.FULLNAME + "-" + component);

        Map<String, Object> main = workload.container(component);
        assertThat(Manifest.list(main, "envFrom")).extracting(e -> e.get("secretRef"))
                .contains(Map.of("name", "extra-env"));
        assertThat(Manifest.list(main, "volumeMounts")).extracting(m -> m.get("mountPath")).contains("/extra");
        assertThat(Manifest.list(workload.podSpec(), "volumes")).extracting(v -> v.get("name")).contains("extra");
        assertThat(workload.container("shipper").get("args")).isEqualTo(List.of("zp-logs"));
        assertThat(Manifest.list(workload.podSpec(), "initContainers")).extracting(c -> c.get("name"))
                .contains("prepare");
    }

    @Test
    void theControlPlaneKeepsItsDatabaseWaitBeforeExtraInitContainers() {
        Manifest deployment = ZoneplaneChart.render(null, Map.of(
                "controlPlane.initContainers[0].name", "prepare",
                "controlPlane.initContainers[0].image", "example/prepare:1"))
                .get("Deployment", ZoneplaneChart.FULLNAME + "-control-plane");

        assertThat(Manifest.list(deployment.podSpec(), "initContainers")).extracting(c -> c.get("name"))
                .containsExactly("wait-for-database", "prepare");
    }

    @Test
    void aClusterOlderThanTheChartsKubeVersionIsRefused() {
        assertThatThrownBy(() -> new com.marcnuri.helm.Helm(ZoneplaneChart.directory()).template()
                .withName(ZoneplaneChart.RELEASE).withKubeVersion("v1.24.0").call())
                .hasMessageContaining("kubeVersion");
    }
}
