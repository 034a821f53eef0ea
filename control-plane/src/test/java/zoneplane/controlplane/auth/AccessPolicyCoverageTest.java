package zoneplane.controlplane.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;

/**
 * Every endpoint the application maps is either public (no token: OpenAPI, error page, node-token
 * /internal/**) or has a rule in {@link AccessPolicy}. A new endpoint without a rule fails here
 * (and meanwhile answers 403 to every token but the operator's).
 */
class AccessPolicyCoverageTest extends ControlPlaneIntegrationTest {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Autowired
    AccessPolicy policy;

    @Test
    void everyMappedEndpointIsPublicOrHasAnAccessRule() {
        PublicPaths publicPaths = new PublicPaths(false);
        List<String> uncovered = new ArrayList<>();
        int checked = 0;
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            for (String pattern : info.getPatternValues()) {
                if (publicPaths.matches(pattern) || pattern.equals("/error")) {
                    continue;
                }
                for (RequestMethod method : info.getMethodsCondition().getMethods()) {
                    checked++;
                    if (policy.ruleFor(method.name(), pattern).isEmpty()) {
                        uncovered.add(method + " " + pattern);
                    }
                }
                if (info.getMethodsCondition().getMethods().isEmpty()) {
                    uncovered.add("(any method) " + pattern);
                }
            }
        }
        assertThat(uncovered).as("endpoints without an access rule").isEmpty();
        assertThat(checked).isGreaterThanOrEqualTo(policy.endpoints().size());
    }
}
