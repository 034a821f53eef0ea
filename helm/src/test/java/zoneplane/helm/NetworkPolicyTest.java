package zoneplane.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static zoneplane.helm.ZoneplaneChart.FULLNAME;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Who may talk to whom, as NetworkPolicies (networkPolicy.enabled). */
class NetworkPolicyTest {

    private static final Map<String, Object> ENABLED = Map.of("networkPolicy.enabled", true);

    private static Set<Object> componentsAllowedIn(Manifest policy) {
        return Manifest.list(policy.map("spec"), "ingress").stream()
                .flatMap(rule -> Manifest.list(rule, "from").stream())
                .filter(peer -> peer.containsKey("podSelector"))
                .map(peer -> Manifest.asMap(Manifest.asMap(peer.get("podSelector")).get("matchLabels"))
                        .get("app.kubernetes.io/component"))
                .collect(Collectors.toSet());
    }

    @Test
    void onlyTheControlPlaneAndTheMigrationJobReachTheInChartDatabase() {
        RenderedRelease release = ZoneplaneChart.render(null, ENABLED);
        Manifest database = release.get("NetworkPolicy", FULLNAME + "-postgresql");

        assertThat(database.at("spec.policyTypes")).isEqualTo(List.of("Ingress", "Egress"));
        List<Map<String, Object>> ingress = Manifest.list(database.map("spec"), "ingress");
        assertThat(ingress).hasSize(1).allMatch(rule -> rule.containsKey("from"));
        assertThat(componentsAllowedIn(database)).containsExactlyInAnyOrder("control-plane", "migrations");
        assertThat(Manifest.list(database.map("spec"), "egress")).as("the database reaches nothing").isEmpty();

        // Those labels are the ones the pods really carry.
        assertThat(release.get("Deployment", FULLNAME + "-control-plane").map("spec.template.metadata.labels"))
                .containsEntry("app.kubernetes.io/component", "control-plane");
        assertThat(release.ofKind("Job").get(0).map("spec.template.metadata.labels"))
                .containsEntry("app.kubernetes.io/component", "migrations");
    }

    @Test
    void theDataPlaneReachesTheControlPlaneAndItsOriginsButIsNotAnApiClientOfTheDatabase() {
        RenderedRelease release = ZoneplaneChart.render(null, ENABLED);
        Manifest dataPlane = release.get("NetworkPolicy", FULLNAME + "-data-plane");
        List<Map<String, Object>> egress = Manifest.list(dataPlane.map("spec"), "egress");

        assertThat(egress).anyMatch(rule -> Manifest.list(rule, "to").stream()
                .anyMatch(peer -> peer.containsKey("podSelector")
                        && "control-plane".equals(Manifest.asMap(Manifest.asMap(peer.get("podSelector"))
                                .get("matchLabels")).get("app.kubernetes.io/component"))));
        assertThat(egress).anyMatch(rule -> Manifest.list(rule, "to").stream()
                .anyMatch(peer -> peer.containsKey("ipBlock")));
        assertThat(egress).noneMatch(rule -> Manifest.list(rule, "to").stream()
                .anyMatch(peer -> peer.containsKey("podSelector")
                        && "postgresql".equals(Manifest.asMap(Manifest.asMap(peer.get("podSelector"))
                                .get("matchLabels")).get("app.kubernetes.io/component"))));
    }

    @Test
    void restrictedApiClientsStillIncludeTheDataPlaneAndTheHelmTestPod() {
        Manifest controlPlane = ZoneplaneChart.render(ZoneplaneChart.ciScenario("production"))
                .get("NetworkPolicy", FULLNAME + "-control-plane");
        assertThat(componentsAllowedIn(controlPlane)).contains("data-plane", "test");
    }

    @Test
    void noPoliciesUnlessEnabled() {
        assertThat(ZoneplaneChart.render().ofKind("NetworkPolicy")).isEmpty();
    }
}
