package zoneplane.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * yamllint (line length 120, helm/yamllint.yaml) finds nothing in values.yaml, Chart.yaml, the ci/
 * profiles, or the manifests they render, monitoring included.
 */
class YamllintTest {

    @Test
    void valuesProfilesAndRenderedManifestsAreYamllintClean() throws IOException, InterruptedException {
        assumeTrue(onPath("yamllint"), "yamllint is not installed (Debian package yamllint; bin/install-test-deps "
                + "installs it): the chart's YAML is not linted");
        Path chart = ZoneplaneChart.directory();
        Path out = Files.createDirectories(Path.of("target", "yamllint"));
        List<String> files = new ArrayList<>(List.of(
                chart.resolve("values.yaml").toString(), chart.resolve("Chart.yaml").toString()));
        Path defaults = out.resolve("defaults-rendered.yaml");
        Files.writeString(defaults, ZoneplaneChart.render().text());
        files.add(defaults.toString());
        Path monitoring = out.resolve("monitoring-rendered.yaml");
        Files.writeString(monitoring, ZoneplaneChart.render(null,
                Map.of("grafanaDashboards.enabled", true, "prometheusRule.enabled", true)).text());
        files.add(monitoring.toString());
        for (Path scenario : ZoneplaneChart.ciScenarios()) {
            files.add(scenario.toString());
            Path rendered = out.resolve(scenario.getFileName().toString().replace(".yaml", "-rendered.yaml"));
            Files.writeString(rendered, ZoneplaneChart.render(scenario).text());
            files.add(rendered.toString());
        }

        List<String> command = new ArrayList<>(List.of("yamllint", "--strict", "-f", "parsable",
                "-c", Path.of("yamllint.yaml").toAbsolutePath().toString()));
        command.addAll(files);
        Process yamllint = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(yamllint.waitFor(60, TimeUnit.SECONDS)).as("yamllint finished").isTrue();
        String findings = new String(yamllint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(findings).as("yamllint findings").isEmpty();
        assertThat(yamllint.exitValue()).isZero();
    }

    static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
