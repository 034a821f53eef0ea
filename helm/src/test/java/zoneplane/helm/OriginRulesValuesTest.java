package zoneplane.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static zoneplane.helm.ZoneplaneChart.FULLNAME;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code origins.allowPrivate} (issue 20 item 1) is one switch for both planes: off by default and
 * in every scenario, and when on it reaches the control plane's origin rule and the nodes' check.
 */
class OriginRulesValuesTest {

    private static final String CONTROL_PLANE_SWITCH = "ZONEPLANE_ORIGINS_ALLOW_PRIVATE";
    private static final String NODE_SWITCH = "ZONEPLANE_ALLOW_PRIVATE_ORIGINS";

    @Test
    void privateOriginsAreRefusedByBothPlanesByDefaultAndInEveryScenario() {
        assertSwitches(ZoneplaneChart.render(), "false");
        for (Path scenario : ZoneplaneChart.ciScenarios()) {
            assertSwitches(ZoneplaneChart.render(scenario), "false");
        }
    }

    @Test
    void oneValueAllowsThemOnBothPlanes() {
        assertSwitches(ZoneplaneChart.render(null, Map.of("origins.allowPrivate", true)), "true");
    }

    private static void assertSwitches(RenderedRelease release, String expected) {
        Map<String, Object> controlPlane = release.get("ConfigMap", FULLNAME + "-control-plane").map("data");
        Map<String, Object> dataPlane = release.get("ConfigMap", FULLNAME + "-data-plane").map("data");
        assertThat(controlPlane).containsEntry(CONTROL_PLANE_SWITCH, expected);
        assertThat(dataPlane).containsEntry(NODE_SWITCH, expected);
    }
}
