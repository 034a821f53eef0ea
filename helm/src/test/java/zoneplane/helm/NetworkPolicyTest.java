package zoneplane.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static zoneplane.helm.ZoneplaneChart.FULLNAME;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    /** The data plane's egress rules whose peers are ipBlocks, each as its CIDRs (with their exceptions) and TCP ports. */
    private static List<Map<String, Object>> dataPlaneIpEgress(Path valuesFile) {
        Manifest dataPlane = ZoneplaneChart.render(valuesFile, ENABLED).get("NetworkPolicy", FULLNAME + "-data-plane");
        return Manifest.list(dataPlane.map("spec"), "egress").stream()
                .filter(rule -> Manifest.list(rule, "to").stream().anyMatch(peer -> peer.containsKey("ipBlock")))
                .map(rule -> Map.<String, Object>of(
                        "to", Manifest.list(rule, "to").stream().map(peer -> Manifest.asMap(peer.get("ipBlock"))).toList(),
                        "ports", Manifest.list(rule, "ports").stream().map(port -> port.get("protocol") + "/" + port.get("port"))
                                .toList()))
                .toList();
    }

    private static Path values(Path dir, String yaml) throws IOException {
        return Files.writeString(dir.resolve("values.yaml"), "networkPolicy:\n" + yaml.indent(2));
    }

    @Test
    void logpushDestinationsAreTheirOwnRuleToPublicAddressesOnHttpsAndKafkaPorts() {
        List<Map<String, Object>> rules = dataPlaneIpEgress(null);

        assertThat(rules).contains(Map.of("to", List.of(
                Map.of("cidr", "0.0.0.0/0", "except", List.of("10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
                        "172.16.0.0/12", "192.168.0.0/16")),
                Map.of("cidr", "::/0", "except", List.of("::1/128", "fc00::/7", "fe80::/10"))),
                "ports", List.of("TCP/443", "TCP/9092", "TCP/9093", "TCP/9094", "TCP/9095", "TCP/9096")));
    }

    @Test
    void restrictedOriginsDoNotCutLogpushOffAndAnInClusterCollectorCanBeAdded(@TempDir Path dir) throws IOException {
        List<Map<String, Object>> rules = dataPlaneIpEgress(values(dir, """
                origins:
                  - ipBlock:
                      cidr: 203.0.113.0/24
                logpushDestinations:
                  to:
                    - ipBlock:
                        cidr: 10.42.0.0/16
                  ports: [8443, 9092]
                """));

        assertThat(rules).containsExactlyInAnyOrder(
                Map.of("to", List.of(Map.of("cidr", "203.0.113.0/24")), "ports", List.of()),
                Map.of("to", List.of(Map.of("cidr", "10.42.0.0/16")), "ports", List.of("TCP/8443", "TCP/9092")));
    }

    @Test
    void emptyPortsAllowEveryPortAndNoPeersRenderNoLogpushRule(@TempDir Path dir) throws IOException {
        assertThat(dataPlaneIpEgress(values(dir, """
                origins: []
                logpushDestinations:
                  to:
                    - ipBlock:
                        cidr: 198.51.100.7/32
                  ports: []
                """))).containsExactly(Map.of("to", List.of(Map.of("cidr", "198.51.100.7/32")), "ports", List.of()));
        assertThat(dataPlaneIpEgress(values(dir, """
                origins: []
                logpushDestinations:
                  to: []
                """))).isEmpty();
    }

    @Test
    void aLogpushPortOutOfRangeIsRefusedByTheSchema(@TempDir Path dir) throws IOException {
        Path file = values(dir, """
                logpushDestinations:
                  ports: [70000]
                """);
        assertThatThrownBy(() -> ZoneplaneChart.render(file, ENABLED))
                .hasMessageContaining("logpushDestinations");
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
