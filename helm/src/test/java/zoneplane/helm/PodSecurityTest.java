package zoneplane.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every pod the chart can create is hardened, in every ci scenario, hooks and test pod included. */
class PodSecurityTest {

    static Stream<Path> scenarios() {
        return ZoneplaneChart.ciScenarios().stream();
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void everyPodRunsAsNonRootWithTheRuntimeDefaultSeccompProfile(Path scenario) {
        List<Manifest> workloads = ZoneplaneChart.render(scenario).workloads();
        assertThat(workloads).isNotEmpty();

        for (Manifest workload : workloads) {
            Map<String, Object> pod = workload.podSpec();
            Map<String, Object> context = Manifest.asMap(pod.get("securityContext"));
            assertThat(context).as("%s pod securityContext", workload).isNotNull();
            assertThat(context.get("runAsNonRoot")).as("%s runAsNonRoot", workload).isEqualTo(true);
            assertThat((Integer) context.get("runAsUser")).as("%s runAsUser", workload).isPositive();
            assertThat(Manifest.asMap(context.get("seccompProfile")))
                    .as("%s seccompProfile", workload)
                    .containsEntry("type", "RuntimeDefault");
            assertThat(pod.get("automountServiceAccountToken"))
                    .as("%s mounts no API token", workload)
                    .isEqualTo(false);
        }
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void everyContainerHasAReadOnlyRootNoCapabilitiesNoEscalationAndResources(Path scenario) {
        for (Manifest workload : ZoneplaneChart.render(scenario).workloads()) {
            for (Map<String, Object> container : workload.allContainers()) {
                String name = workload + " container " + container.get("name");
                Map<String, Object> context = Manifest.asMap(container.get("securityContext"));
                assertThat(context).as("%s securityContext", name).isNotNull();
                assertThat(context.get("readOnlyRootFilesystem")).as("%s read-only root", name).isEqualTo(true);
                assertThat(context.get("allowPrivilegeEscalation")).as("%s escalation", name).isEqualTo(false);
                assertThat(context.get("runAsNonRoot")).as("%s runAsNonRoot", name).isEqualTo(true);
                assertThat(Manifest.asMap(context.get("capabilities")).get("drop"))
                        .as("%s dropped capabilities", name)
                        .isEqualTo(List.of("ALL"));
                Map<String, Object> resources = Manifest.asMap(container.get("resources"));
                assertThat(resources).as("%s resources", name).containsKeys("requests", "limits");
                assertThat(Manifest.asMap(resources.get("limits"))).as("%s memory limit", name).containsKey("memory");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void everyJvmContainerHasAWritableTmpOnItsReadOnlyRoot(Path scenario) {
        for (Manifest workload : ZoneplaneChart.render(scenario).workloads()) {
            Map<String, Object> pod = workload.podSpec();
            for (Map<String, Object> container : Manifest.list(pod, "containers")) {
                List<Map<String, Object>> mounts = Manifest.list(container, "volumeMounts");
                assertThat(mounts)
                        .as("%s container %s mounts /tmp", workload, container.get("name"))
                        .anyMatch(mount -> "/tmp".equals(mount.get("mountPath")));
                String volume = (String) mounts.stream()
                        .filter(mount -> "/tmp".equals(mount.get("mountPath")))
                        .findFirst().orElseThrow().get("name");
                assertThat(Manifest.list(pod, "volumes"))
                        .as("%s /tmp is an emptyDir", workload)
                        .anyMatch(v -> volume.equals(v.get("name")) && v.containsKey("emptyDir"));
            }
        }
    }
}
