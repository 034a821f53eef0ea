package zoneplane.controlplane;

/**
 * The control plane's default port and the paths operators and data-plane nodes depend on. The Helm
 * chart's probes are tested against these constants so the two cannot drift apart.
 */
public final class ControlPlaneEndpoints {

    public static final int PORT = 8080;

    public static final String LIVENESS_PATH = "/actuator/health/liveness";
    public static final String READINESS_PATH = "/actuator/health/readiness";
    public static final String PROMETHEUS_PATH = "/actuator/prometheus";
    public static final String OPENAPI_PATH = "/openapi.json";

    /** Config distribution to data-plane nodes (SPEC §4). */
    public static final String SNAPSHOT_PATH = "/internal/v1/snapshot";
    public static final String CHANGES_PATH = "/internal/v1/changes";

    /** The same API is served at the root and under this prefix, for the Cloudflare SDKs. */
    public static final String CLOUDFLARE_PREFIX = "/client/v4";

    private ControlPlaneEndpoints() {}
}
