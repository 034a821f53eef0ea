package zoneplane.dataplane.config;

/**
 * Default ports and the management paths of a data-plane node. The Helm chart's probes and Service
 * ports are tested against these constants so the two cannot drift apart.
 */
public final class DataPlaneEndpoints {

    public static final int HTTP_PORT = 8000;
    public static final int HTTPS_PORT = 8443;
    public static final int MANAGEMENT_PORT = 9000;

    /** 200 while the process runs; independent of the control plane. */
    public static final String LIVENESS_PATH = "/health/liveness";
    /** 200 once the node has a zone view to serve from (from the control plane or its disk cache). */
    public static final String READINESS_PATH = "/health/readiness";
    /**
     * JSON {@code {"status":"UP"|"DEGRADED","details":{…}}}, always 200: what the node serves from and
     * what is degraded (disk cache not writable or a fallback generation, a stale view after a start
     * without the control plane, changes refused). Informational: readiness does not depend on it.
     */
    public static final String HEALTH_DETAILS_PATH = "/health/details";
    /** Prometheus text exposition. */
    public static final String METRICS_PATH = "/metrics";

    private DataPlaneEndpoints() {}
}
