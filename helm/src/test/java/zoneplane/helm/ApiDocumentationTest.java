package zoneplane.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static zoneplane.helm.ZoneplaneChart.FULLNAME;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Swagger UI is off in a cluster unless the operator turns it on ({@code controlPlane.swaggerUi.enabled});
 * the OpenAPI document stays served, since SDKs and code generators fetch it.
 */
class ApiDocumentationTest {

    private static final String CONTROL_PLANE = FULLNAME + "-control-plane";
    /** Spring's environment-variable form of springdoc's {@code springdoc.swagger-ui.enabled}. */
    private static final String SWAGGER_UI_SWITCH = "SPRINGDOC_SWAGGER_UI_ENABLED";

    private static Map<String, Object> controlPlaneConfig(RenderedRelease release) {
        return release.get("ConfigMap", CONTROL_PLANE).map("data");
    }

    @Test
    void swaggerUiIsOffByDefaultAndInEveryScenario() {
        assertThat(controlPlaneConfig(ZoneplaneChart.render())).containsEntry(SWAGGER_UI_SWITCH, "false");
        for (Path scenario : ZoneplaneChart.ciScenarios()) {
            assertThat(controlPlaneConfig(ZoneplaneChart.render(scenario)))
                    .as(scenario.getFileName().toString())
                    .containsEntry(SWAGGER_UI_SWITCH, "false");
        }
    }

    @Test
    void theOpenApiDocumentIsNotSwitchedOff() {
        Map<String, Object> config = controlPlaneConfig(ZoneplaneChart.render());

        assertThat(config.keySet()).noneMatch(key -> key.startsWith("SPRINGDOC_API_DOCS"));
        assertThat(config.keySet()).filteredOn(key -> key.startsWith("SPRINGDOC_")).containsExactly(SWAGGER_UI_SWITCH);
    }

    @Test
    void swaggerUiCanBeTurnedOnAndTheSwitchRollsTheControlPlanePods() {
        RenderedRelease off = ZoneplaneChart.render();
        RenderedRelease on = ZoneplaneChart.render(null, Map.of("controlPlane.swaggerUi.enabled", true));

        assertThat(controlPlaneConfig(on)).containsEntry(SWAGGER_UI_SWITCH, "true");
        assertThat(configChecksum(on)).isNotEqualTo(configChecksum(off));
    }

    @Test
    void aSwitchThatIsNotABooleanIsRefusedBySchema() {
        assertThatThrownBy(() -> ZoneplaneChart.render(null, Map.of("controlPlane.swaggerUi.enabled", "yes")))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining("enabled");
    }

    private static Object configChecksum(RenderedRelease release) {
        return release.get("Deployment", CONTROL_PLANE).map("spec.template.metadata.annotations").get("checksum/config");
    }
}
