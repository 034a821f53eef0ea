package zoneplane.dataplane.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import zoneplane.dataplane.logpush.LogpushSettings;
import zoneplane.dataplane.usage.UsageSettings;
import zoneplane.dataplane.visitor.IpLiterals;
import zoneplane.model.Cidr;
import zoneplane.model.Plan;

/**
 * Builds a {@link DataPlaneConfig} from named values: environment variables, each overridable by a
 * JVM system property of the same name ({@code -DZONEPLANE_HTTP_PORT=8080}). Every problem is
 * collected and reported together in one {@link ConfigException}, so an operator fixes them in one go.
 *
 * <p>Durations take ISO-8601 ({@code PT30S}) or a number with a unit: {@code 500ms}, {@code 30s},
 * {@code 5m}, {@code 1h}; a bare number means seconds. Lists are comma-separated.
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
    public static final Map<Plan, Integer> DEFAULT_WEBSOCKET_LIMITS = Map.of(
            Plan.FREE, 100, Plan.PRO, 500, Plan.BUSINESS, 2_000, Plan.ENTERPRISE, 10_000);

    private final Function<String, String> source;
    private final List<String> problems = new ArrayList<>();

    private DataPlaneConfigLoader(Function<String, String> source) {
        this.source = source;
    }

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
        return new DataPlaneConfigLoader(source).build();
    }

    private DataPlaneConfig build() {
        Optional<Path> snapshot = path(SNAPSHOT_FILE, true);
        List<URI> controlPlanes = text(CONTROL_PLANE_URL).map(this::controlPlaneUrls).orElse(List.of());
        // Three missed heartbeats of the control plane's default 5 s interval: a replica that stops
        // sending anything (stopped, partitioned without a reset) is left for the next one after this.
        Duration heartbeatTimeout = duration(CONTROL_PLANE_HEARTBEAT_TIMEOUT, Duration.ofSeconds(15));
        List<Path> geoip = text(GEOIP_FILES).map(this::paths).orElse(DataPlaneConfig.DEBIAN_GEOIP_FILES);
        Optional<Path> torExits = path(TOR_EXITS_FILE, false);
        Optional<String> onion = text(ONION_ADDRESS).map(v -> v.toLowerCase(Locale.ROOT)).filter(this::validOnion);
        List<Cidr> trusted = text(TRUSTED_PROXIES).map(this::cidrs).orElse(List.of());
        boolean proxyProtocol = bool(PROXY_PROTOCOL, false);
        String bind = text(BIND_ADDRESS).orElse("::");
        if (IpLiterals.parse(bind) == null) {
            problems.add(BIND_ADDRESS + " must be an IP address literal such as :: or 0.0.0.0, got '" + bind + "'");
        }
        int http = port(HTTP_PORT, DataPlaneEndpoints.HTTP_PORT);
        int https = port(HTTPS_PORT, DataPlaneEndpoints.HTTPS_PORT);
        int management = port(MANAGEMENT_PORT, DataPlaneEndpoints.MANAGEMENT_PORT);
        String nodeId = text(NODE_ID).orElseGet(DataPlaneConfigLoader::defaultNodeId);
        if (!validNodeId(nodeId)) {
            problems.add(NODE_ID + " must be 1-32 characters of A-Z a-z 0-9 and '-', got '" + nodeId + "'");
        }
        Optional<Path> cert = path(TLS_CERT_FILE, true);
        Optional<Path> key = path(TLS_KEY_FILE, true);
        if (cert.isPresent() != key.isPresent()) {
            problems.add(TLS_CERT_FILE + " and " + TLS_KEY_FILE + " must be set together (the https listener needs both)");
        }
        Duration connect = duration(ORIGIN_CONNECT_TIMEOUT, Duration.ofSeconds(15));
        Duration response = duration(ORIGIN_RESPONSE_TIMEOUT, Duration.ofSeconds(100));
        Duration idleStandard = duration(WEBSOCKET_IDLE_STANDARD, Duration.ofSeconds(100));
        Duration idleBusiness = duration(WEBSOCKET_IDLE_BUSINESS, Duration.ofSeconds(600));
        int loopLimit = integer(CDN_LOOP_LIMIT, 1, 1, 32);
        Duration drain = duration(DRAIN_TIMEOUT, Duration.ofSeconds(30));
        int maxHeader = integer(MAX_HEADER_SIZE, 16 * 1024, 1024, 1024 * 1024);
        List<InetAddress> sources = text(ORIGIN_SOURCE_ADDRESSES).map(this::addresses).orElse(List.of());
        Optional<Path> cacheDir = text(CACHE_DIR).map(Path::of);
        Optional<String> nodeToken = text(NODE_TOKEN);
        if (!controlPlanes.isEmpty() && nodeToken.isEmpty()) {
            problems.add(CONTROL_PLANE_URL + " is set but " + NODE_TOKEN
                    + " is not: the control plane accepts only nodes that present the node token");
        }
        Duration headerTimeout = duration(REQUEST_HEADER_TIMEOUT, Duration.ofSeconds(10));
        Duration bodyTimeout = duration(REQUEST_BODY_TIMEOUT, Duration.ofSeconds(30));
        boolean jsonAccessLog = accessLog();
        // Logging is configured before this loader runs (logging/NodeLogging falls back to text); a bad
        // value still stops the node here, as every other bad setting does.
        if (LogFormat.parse(source.apply(LogFormat.VARIABLE)).isEmpty()) {
            problems.add(LogFormat.VARIABLE + " must be text or ecs, got '" + source.apply(LogFormat.VARIABLE) + "'");
        }
        boolean websocketLimitEnforced = bool(WEBSOCKET_LIMIT_ENFORCED, false);
        Map<Plan, Integer> websocketLimits = text(WEBSOCKET_LIMITS).map(this::websocketLimits)
                .orElse(DEFAULT_WEBSOCKET_LIMITS);
        EventLoopSettings eventLoops = new EventLoopSettings(
                integer(EVENT_LOOPS, EventLoopSettings.perCore().count(), 1, 1024), bool(BUSY_POLL, false));
        Duration keepAlive = duration(KEEPALIVE_TIMEOUT, Duration.ofSeconds(75));
        boolean http1FastPath = bool(HTTP1_FAST_PATH, true);
        // A node following a control plane serves tenants' origins: only public addresses unless the
        // operator says otherwise. A node serving a snapshot file serves what its operator wrote
        // (the local run's origins are on loopback): private origins allowed unless switched off.
        boolean allowPrivateOrigins = bool(ALLOW_PRIVATE_ORIGINS, controlPlanes.isEmpty());
        int metricsZoneLimit = integer(METRICS_ZONE_LIMIT, 1000, 0, 1_000_000);
        UsageSettings usage = usage(controlPlanes, nodeToken);
        LogpushSettings logpush = LogpushSettings.load(source, controlPlanes, nodeToken, allowPrivateOrigins, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new DataPlaneConfig(snapshot, controlPlanes, heartbeatTimeout, geoip, torExits, onion, trusted, proxyProtocol, bind,
                http, https, management, nodeId, cert, key, connect, response, idleStandard, idleBusiness,
                loopLimit, drain, maxHeader, sources, cacheDir, nodeToken, headerTimeout, bodyTimeout,
                jsonAccessLog, websocketLimitEnforced, websocketLimits, eventLoops, keepAlive, http1FastPath,
                allowPrivateOrigins, metricsZoneLimit, usage, logpush);
    }

    /** {@code ZONEPLANE_USAGE_*}: minutes go to {@code ZONEPLANE_USAGE_URL}, else to the control plane's replicas. */
    private UsageSettings usage(List<URI> controlPlanes, Optional<String> nodeToken) {
        UsageSettings defaults = UsageSettings.DEFAULTS;
        List<URI> targets = controlPlanes;
        Optional<String> url = text(USAGE_URL);
        if (url.isPresent()) {
            URI parsed = controlPlaneUrl(url.get());
            if (parsed == null) {
                problems.add(USAGE_URL + " must be an http(s) URL with a host, got '" + url.get() + "'");
            } else {
                targets = List.of(parsed);
                if (nodeToken.isEmpty()) {
                    problems.add(USAGE_URL + " is set but " + NODE_TOKEN + " is not: usage is shipped with the node token");
                }
            }
        }
        return new UsageSettings(bool(USAGE_ENABLED, defaults.enabled()), targets,
                (long) integer(USAGE_SPOOL_MAX_MB, (int) (defaults.spoolMaxBytes() >> 20), 1, 1_000_000) << 20,
                duration(USAGE_SPOOL_MAX_AGE, defaults.spoolMaxAge()),
                integer(USAGE_GROUP_LIMIT, defaults.groupLimit(), 10, 1_000_000),
                integer(USAGE_BATCH_MINUTES, defaults.batchMinutes(), 1, 1_000_000),
                (long) integer(USAGE_MAX_REPORT_KB, (int) (defaults.maxReportBytes() >> 10), 16, 1_000_000) << 10,
                duration(USAGE_RETRY_MIN, defaults.retryMin()), duration(USAGE_RETRY_MAX, defaults.retryMax()));
    }

    private Optional<String> text(String name) {
        String value = source.apply(name);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(value.trim());
    }

    private Optional<Path> path(String name, boolean mustExist) {
        Optional<Path> path = text(name).map(Path::of);
        if (mustExist && path.isPresent() && !Files.isReadable(path.get())) {
            problems.add(name + " names a file that does not exist or is not readable: " + path.get());
        }
        return path;
    }

    private List<Path> paths(String value) {
        List<Path> paths = new ArrayList<>();
        for (String part : value.split(",")) {
            if (!part.isBlank()) {
                paths.add(Path.of(part.trim()));
            }
        }
        return paths;
    }

    private List<Cidr> cidrs(String value) {
        List<Cidr> cidrs = new ArrayList<>();
        for (String part : value.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            try {
                cidrs.add(Cidr.parse(part));
            } catch (IllegalArgumentException e) {
                problems.add(TRUSTED_PROXIES + ": " + e.getMessage());
            }
        }
        return cidrs;
    }

    private List<InetAddress> addresses(String value) {
        List<InetAddress> addresses = new ArrayList<>();
        for (String part : value.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            InetAddress address = IpLiterals.parse(part);
            if (address == null) {
                problems.add(ORIGIN_SOURCE_ADDRESSES + ": not an IP address: '" + part.trim() + "'");
            } else {
                addresses.add(address);
            }
        }
        return addresses;
    }

    private boolean bool(String name, boolean fallback) {
        Optional<String> value = text(name).map(v -> v.toLowerCase(Locale.ROOT));
        if (value.isEmpty()) {
            return fallback;
        }
        switch (value.get()) {
            case "true", "on", "yes", "1":
                return true;
            case "false", "off", "no", "0":
                return false;
            default:
                problems.add(name + " must be true or false, got '" + value.get() + "'");
                return fallback;
        }
    }

    /** {@code free=100,pro=500,…}: plans not named keep their default. */
    private Map<Plan, Integer> websocketLimits(String value) {
        Map<Plan, Integer> limits = new EnumMap<>(DEFAULT_WEBSOCKET_LIMITS);
        for (String part : value.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] pair = part.split("=", 2);
            Optional<Plan> plan = Plan.fromId(pair[0].trim().toLowerCase(Locale.ROOT));
            Integer limit = null;
            try {
                limit = pair.length == 2 ? Integer.valueOf(pair[1].trim()) : null;
            } catch (NumberFormatException e) {
                // reported below
            }
            if (plan.isEmpty() || limit == null || limit < 1) {
                problems.add(WEBSOCKET_LIMITS + " must list plan=count pairs such as free=100,pro=500 (plans free, "
                        + "pro, business, enterprise; counts of at least 1), got '" + part.trim() + "'");
            } else {
                limits.put(plan.get(), limit);
            }
        }
        return limits;
    }

    /** {@code json} → one JSON line per request; {@code off} (the default) → none. */
    private boolean accessLog() {
        Optional<String> value = text(ACCESS_LOG).map(v -> v.toLowerCase(Locale.ROOT));
        if (value.isEmpty() || value.get().equals("off")) {
            return false;
        }
        if (value.get().equals("json")) {
            return true;
        }
        problems.add(ACCESS_LOG + " must be json or off, got '" + value.get() + "'");
        return false;
    }

    private int port(String name, int fallback) {
        return integer(name, fallback, 0, 65535);
    }

    private int integer(String name, int fallback, int min, int max) {
        Optional<String> value = text(name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.get());
            if (parsed < min || parsed > max) {
                problems.add(name + " must be between " + min + " and " + max + ", got " + parsed);
                return fallback;
            }
            return parsed;
        } catch (NumberFormatException e) {
            problems.add(name + " must be a whole number, got '" + value.get() + "'");
            return fallback;
        }
    }

    private Duration duration(String name, Duration fallback) {
        Optional<String> value = text(name);
        if (value.isEmpty()) {
            return fallback;
        }
        Duration parsed = parseDuration(value.get());
        if (parsed == null || parsed.isNegative() || parsed.isZero()) {
            problems.add(name + " must be a positive duration such as 30s, 500ms, 5m or PT30S, got '"
                    + value.get() + "'");
            return fallback;
        }
        return parsed;
    }

    public static Duration parseDuration(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (value.startsWith("p")) {
                return Duration.parse(value.toUpperCase(Locale.ROOT));
            }
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            char unit = value.charAt(value.length() - 1);
            String number = Character.isDigit(unit) ? value : value.substring(0, value.length() - 1);
            long amount = Long.parseLong(number);
            switch (unit) {
                case 'm':
                    return Duration.ofMinutes(amount);
                case 'h':
                    return Duration.ofHours(amount);
                case 's':
                    return Duration.ofSeconds(amount);
                default:
                    return Character.isDigit(unit) ? Duration.ofSeconds(amount) : null;
            }
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            return null;
        }
    }

    /**
     * One or more control-plane replicas, comma-separated. Each entry must be an absolute http(s) URL
     * with a host and nothing after the port but an optional path prefix (no query, no fragment, no
     * user info: the node appends {@code /internal/v1/...} to it). Every bad entry is named.
     */
    private List<URI> controlPlaneUrls(String value) {
        List<URI> urls = new ArrayList<>();
        String[] parts = value.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].trim();
            if (part.isEmpty()) {
                problems.add(CONTROL_PLANE_URL + ": entry " + (i + 1) + " of '" + value
                        + "' is empty (separate the replicas' URLs with single commas)");
                continue;
            }
            URI uri = controlPlaneUrl(part);
            if (uri == null) {
                problems.add(CONTROL_PLANE_URL + ": entry " + (i + 1) + ", '" + part
                        + "', is not an http(s) URL with a host (such as http://control-plane:8080)");
            } else if (urls.contains(uri)) {
                problems.add(CONTROL_PLANE_URL + ": entry " + (i + 1) + ", '" + part + "', is listed twice");
            } else {
                urls.add(uri);
            }
        }
        return urls;
    }

    private static URI controlPlaneUrl(String text) {
        try {
            URI uri = new URI(text);
            boolean http = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
            if (http && uri.getHost() != null && uri.getRawUserInfo() == null && uri.getRawQuery() == null
                    && uri.getRawFragment() == null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported by the caller, with the entry
        }
        return null;
    }

    /** A v3 onion service name: 56 base32 characters then {@code .onion}. */
    private boolean validOnion(String host) {
        boolean ok = host.length() == 62 && host.endsWith(".onion");
        for (int i = 0; ok && i < 56; i++) {
            char c = host.charAt(i);
            ok = (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7');
        }
        if (!ok) {
            problems.add(ONION_ADDRESS + " must be a v3 onion host name (56 base32 characters + .onion), got '"
                    + host + "'");
        }
        return ok;
    }

    private static boolean validNodeId(String id) {
        if (id.isEmpty() || id.length() > 32) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** The host name, trimmed to what a CF-Ray suffix may hold; {@code edge} when it has none usable. */
    private static String defaultNodeId() {
        String host = System.getenv("HOSTNAME");
        if (host == null) {
            return "edge";
        }
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < host.length() && id.length() < 32; i++) {
            char c = host.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-') {
                id.append(c);
            } else if (c == '.') {
                break;
            }
        }
        return id.length() == 0 ? "edge" : id.toString();
    }
}
