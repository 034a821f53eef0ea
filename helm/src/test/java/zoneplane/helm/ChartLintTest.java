package zoneplane.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ChartLintTest {

    @Test
    void chartPassesHelmLintInStrictMode() {
        LintResult result = new Helm(ZoneplaneChart.directory()).lint().strict().call();

        assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
        assertThat(result.getMessages())
                .as("helm lint --strict findings")
                .noneMatch(message -> message.contains("[WARNING]") || message.contains("[ERROR]"));
    }

    /** Also leaves each scenario's manifests in target/rendered/ for review. */
    @Test
    void everyCiScenarioRendersBothComponents() throws IOException {
        Path out = Files.createDirectories(Path.of("target", "rendered"));
        for (Path scenario : ZoneplaneChart.ciScenarios()) {
            RenderedRelease release = ZoneplaneChart.render(scenario);
            Files.writeString(out.resolve(scenario.getFileName()), release.text());

            assertThat(release.workloads())
                    .as(scenario.getFileName().toString())
                    .extracting(Manifest::name)
                    .contains(ZoneplaneChart.FULLNAME + "-control-plane", ZoneplaneChart.FULLNAME + "-data-plane");
        }
    }
}
