package zoneplane.controlplane.auth;

import java.util.ArrayList;
import java.util.List;

/**
 * Paths served without an API token: health probes, the OpenAPI document and Swagger UI, the
 * dashboard's static assets, and {@code /internal/**} (config distribution, which authenticates
 * data-plane nodes with their own node token). Optionally {@code /actuator/prometheus} for
 * scrapers ({@code zoneplane.auth.anonymous-metrics}). Matched on the canonical path (no
 * {@code /client/v4} prefix), which {@link RequestPathGuard} has already checked to be normalized,
 * so no {@code ..} or encoding trick can make a protected path look public.
 */
public final class PublicPaths {

    private final List<String> exact;
    private final List<String> trees;

    public PublicPaths(boolean anonymousMetrics) {
        List<String> exactPaths = new ArrayList<>(List.of("/actuator/health", "/openapi.json", "/v3/api-docs", "/v3/api-docs.yaml",
                "/swagger-ui.html", "/internal", "/dashboard"));
        if (anonymousMetrics) {
            exactPaths.add("/actuator/prometheus");
        }
        this.exact = List.copyOf(exactPaths);
        this.trees = List.of("/actuator/health/", "/v3/api-docs/", "/swagger-ui/", "/internal/", "/dashboard/");
    }

    public boolean matches(String path) {
        if (exact.contains(path)) {
            return true;
        }
        for (String tree : trees) {
            if (path.startsWith(tree)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "PublicPaths" + exact + trees;
    }
}
