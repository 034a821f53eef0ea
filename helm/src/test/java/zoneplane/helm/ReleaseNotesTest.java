package zoneplane.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** NOTES.txt tells the operator the next step with the release's real names. */
class ReleaseNotesTest {

    /** The notes of {@code helm install --dry-run=client}: nothing reaches a cluster. */
    private static String notes(Path valuesFile) {
        KubernetesApiStub.running();
        String output = new Helm(ZoneplaneChart.directory()).install()
                .withName(ZoneplaneChart.RELEASE)
                .withNamespace(ZoneplaneChart.NAMESPACE)
                .withKubeVersion(ZoneplaneChart.KUBE_VERSION)
                .withValuesFile(valuesFile)
                .dryRun()
                .withDryRunOption(DryRun.CLIENT)
                .clientOnly()
                .call()
                .getOutput();
        assertThat(output).contains("NOTES:");
        return output.substring(output.indexOf("NOTES:"));
    }

    @Test
    void notesShowHowToReadTheGeneratedTokenAndCallTheApi() {
        String notes = notes(ZoneplaneChart.ciScenario("default"));

        assertThat(notes)
                .contains("kubectl --namespace edge get secret zp-zoneplane-tokens")
                .contains("jsonpath='{.data.bootstrap-token}' | base64 -d")
                .contains("port-forward service/zp-zoneplane-control-plane 8080:8080")
                .contains("curl -s -X POST http://127.0.0.1:8080/client/v4/accounts")
                .contains("Authorization: Bearer $ZONEPLANE_TOKEN")
                .contains("helm test zp --namespace edge --logs")
                .contains("http://127.0.0.1:8080/dashboard/")
                .doesNotContain("Through the Ingress")
                .contains("in-chart PostgreSQL is for trying Zoneplane out");
    }

    @Test
    void notesPointAtTheOperatorsOwnSecretAndTheIngress() {
        String notes = notes(ZoneplaneChart.ciScenario("production"));

        assertThat(notes)
                .contains("get secret zoneplane-tokens")
                .contains("https://api.zoneplane.example/client/v4")
                .contains("https://api.zoneplane.example/dashboard/")
                .contains("DaemonSet")
                .doesNotContain("in-chart PostgreSQL")
                .doesNotContain("generated on install");
    }

    @Test
    void notesTellHowToRouteTheConsoleWhenTheIngressDoesNot() throws java.io.IOException {
        Path values = java.nio.file.Files.createTempFile("ingress", "-values.yaml");
        try {
            java.nio.file.Files.writeString(values, "controlPlane:\n  ingress:\n    enabled: true\n");
            assertThat(notes(values))
                    .contains("http://api.zoneplane.example/client/v4")
                    .contains("The Ingress does not route the console")
                    .contains("- path: /dashboard")
                    .doesNotContain("api.zoneplane.example/dashboard/");
        } finally {
            java.nio.file.Files.delete(values);
        }
    }
}
