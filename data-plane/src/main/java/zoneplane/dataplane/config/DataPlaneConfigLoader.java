package zoneplane.dataplane.config;

import java.util.Map;
import java.util.function.Function;
import zoneplane.dataplane.logpush.LogpushSettings;
import zoneplane.dataplane.usage.UsageSettings;
import zoneplane.model.Plan;

/**
 * Builds a {@link DataPlaneConfig} from named values: environment variables, each overridable by a
 * JVM system property of the same name ({@code -DZONEPLANE_HTTP_PORT=8080}). Every problem is
 * collected and reported together in one {@link ConfigException}, so an operator fixes them in one go.
 *
 * <p>Each feature reads its own variables in a section of its own ({@link ControlPlaneSection},
 * {@link ListenerSection}, {@link OriginSection}, {@link WebSocketSection}, {@link VisitorSection},
 * {@link ObservabilitySection}, {@link UsageSection}) through {@link ConfigValues}, which knows the
 * notations (durations, booleans, lists); this class only names the variables and assembles the
 * sections. A new feature adds its section class (with its variable names) and one line here.
 */
public final class DataPlaneConfigLoader {

    public static final String SNAPSHOT_FILE = "ZONEPLANE_SNAPSHOT_FILE";
    public static final String CONTROL_PLANE_URL = "ZONEPLANE_CONTROL_PLANE_URL";
    public static final String CONTROL_PLANE_HEARTBEAT_TIMEOUT = "ZONEPLANE_CONTROL_PLANE_HEARTBEAT_TIMEOUT";
    public static final String GEOIP_FILES = "ZONEPLANE_GEOIP_FILES";
    public static final String TOR_EXITS_FILE = "ZONEPLANE_TOR_EXITS_FILE";
    public static final String ONION_ADDRESS = "ZONEPLANE_ONION_ADDRESS";
    public static final String TRUSTED_PROXIES = "ZONEPLANE_TRUSTED_PROXIES";
    public static final String PROXY_PROTOCOL = "ZONEPLANE_PROXY_PROTOCOL";
    public static final String BIND_ADDRESS = "ZONEPLANE_BIND_ADDRESS";
    public static final String HTTP_PORT = "ZONEPLANE_HTTP_PORT";
    public static final String HTTPS_PORT = "ZONEPLANE_HTTPS_PORT";
    public static final String MANAGEMENT_PORT = "ZONEPLANE_MANAGEMENT_PORT";
    public static final String NODE_ID = "ZONEPLANE_NODE_ID";
    public static final String TLS_CERT_FILE = "ZONEPLANE_TLS_CERT_FILE";
    public static final String TLS_KEY_FILE = "ZONEPLANE_TLS_KEY_FILE";
    public static final String ORIGIN_CONNECT_TIMEOUT = "ZONEPLANE_ORIGIN_CONNECT_TIMEOUT";
    public static final String ORIGIN_RESPONSE_TIMEOUT = "ZONEPLANE_ORIGIN_RESPONSE_TIMEOUT";
    public static final String WEBSOCKET_IDLE_STANDARD = "ZONEPLANE_WEBSOCKET_IDLE_TIMEOUT_FREE_PRO";
    public static final String WEBSOCKET_IDLE_BUSINESS = "ZONEPLANE_WEBSOCKET_IDLE_TIMEOUT_BUSINESS_ENTERPRISE";
    public static final String CDN_LOOP_LIMIT = "ZONEPLANE_CDN_LOOP_LIMIT";
    public static final String DRAIN_TIMEOUT = "ZONEPLANE_DRAIN_TIMEOUT";
    public static final String MAX_HEADER_SIZE = "ZONEPLANE_MAX_HEADER_SIZE";
    public static final String ORIGIN_SOURCE_ADDRESSES = "ZONEPLANE_ORIGIN_SOURCE_ADDRESSES";
    public static final String CACHE_DIR = "ZONEPLANE_CACHE_DIR";
    public static final String NODE_TOKEN = "ZONEPLANE_NODE_TOKEN";
    public static final String REQUEST_HEADER_TIMEOUT = "ZONEPLANE_REQUEST_HEADER_TIMEOUT";
    public static final String REQUEST_BODY_TIMEOUT = "ZONEPLANE_REQUEST_BODY_TIMEOUT";
    public static final String ACCESS_LOG = "ZONEPLANE_ACCESS_LOG";
    public static final String WEBSOCKET_LIMIT_ENFORCED = "ZONEPLANE_WEBSOCKET_LIMIT_ENFORCED";
    public static final String WEBSOCKET_LIMITS = "ZONEPLANE_WEBSOCKET_LIMITS";
    public static final String EVENT_LOOPS = "ZONEPLANE_EVENT_LOOPS";
    public static final String BUSY_POLL = "ZONEPLANE_BUSY_POLL";
    public static final String KEEPALIVE_TIMEOUT = "ZONEPLANE_KEEPALIVE_TIMEOUT";
    public static final String HTTP1_FAST_PATH = "ZONEPLANE_HTTP1_FAST_PATH";
    public static final String ALLOW_PRIVATE_ORIGINS = "ZONEPLANE_ALLOW_PRIVATE_ORIGINS";
    public static final String METRICS_ZONE_LIMIT = "ZONEPLANE_METRICS_ZONE_LIMIT";
    public static final String USAGE_ENABLED = "ZONEPLANE_USAGE_ENABLED";
    public static final String USAGE_URL = "ZONEPLANE_USAGE_URL";
    public static final String USAGE_SPOOL_MAX_MB = "ZONEPLANE_USAGE_SPOOL_MAX_MB";
    public static final String USAGE_SPOOL_MAX_AGE = "ZONEPLANE_USAGE_SPOOL_MAX_AGE";
    public static final String USAGE_GROUP_LIMIT = "ZONEPLANE_USAGE_GROUP_LIMIT";
    public static final String USAGE_BATCH_MINUTES = "ZONEPLANE_USAGE_BATCH_MINUTES";
    public static final String USAGE_MAX_REPORT_KB = "ZONEPLANE_USAGE_MAX_REPORT_KB";
    public static final String USAGE_RETRY_MIN = "ZONEPLANE_USAGE_RETRY_MIN";
    public static final String USAGE_RETRY_MAX = "ZONEPLANE_USAGE_RETRY_MAX";

    /** Concurrent WebSockets per zone and node by plan: Zoneplane's guidance (Cloudflare publishes none). */
    public static final Map<Plan, Integer> DEFAULT_WEBSOCKET_LIMITS = WebSocketSection.DEFAULT_LIMITS;

    private DataPlaneConfigLoader() {}

    /** From the process: system properties first, then environment variables. */
    public static DataPlaneConfig fromEnvironment() {
        Map<String, String> env = System.getenv();
        return load(name -> {
            String property = System.getProperty(name);
            return property != null ? property : env.get(name);
        });
    }

    /** From {@code source} (name → value or null); tests pass a map's {@code get}. */
    public static DataPlaneConfig load(Function<String, String> source) {
        ConfigValues values = new ConfigValues(source);
        ControlPlaneSection controlPlane = ControlPlaneSection.read(values);
        VisitorSection visitors = VisitorSection.read(values);
        ListenerSection listener = ListenerSection.read(values);
        OriginSection origins = OriginSection.read(values, !controlPlane.controlPlanes().isEmpty());
        WebSocketSection websockets = WebSocketSection.read(values);
        ObservabilitySection observability = ObservabilitySection.read(values);
        UsageSettings usage = UsageSection.read(values, controlPlane);
        LogpushSettings logpush = LogpushSection.read(values, controlPlane, origins.allowPrivateOrigins());
        if (!values.problems().isEmpty()) {
            throw new ConfigException(values.problems());
        }
        return new DataPlaneConfig(controlPlane.snapshot(), controlPlane.controlPlanes(), controlPlane.heartbeatTimeout(),
                visitors.geoipFiles(), visitors.torExits(), visitors.onion(), listener.trustedProxies(),
                listener.proxyProtocol(), listener.bind(), listener.http(), listener.https(), listener.management(),
                listener.nodeId(), listener.cert(), listener.key(), origins.connectTimeout(), origins.responseTimeout(),
                websockets.idleStandard(), websockets.idleBusiness(), origins.loopLimit(), listener.drain(),
                listener.maxHeader(), origins.sources(), controlPlane.cacheDir(), controlPlane.nodeToken(),
                listener.headerTimeout(), listener.bodyTimeout(), observability.jsonAccessLog(),
                websockets.limitEnforced(), websockets.limits(), listener.eventLoops(), listener.keepAlive(),
                listener.http1FastPath(), origins.allowPrivateOrigins(), observability.metricsZoneLimit(), usage,
                logpush);
    }
}
