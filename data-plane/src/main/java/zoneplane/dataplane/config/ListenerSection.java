package zoneplane.dataplane.config;

import static zoneplane.dataplane.config.DataPlaneConfigLoader.BIND_ADDRESS;
import static zoneplane.dataplane.config.DataPlaneConfigLoader.BUSY_POLL;
import static zoneplane.dataplane.config.DataPlaneConfigLoader.DRAIN_TIMEOUT;
import static zoneplane.dataplane.config.DataPlaneConfigLoader.EVENT_LOOPS;
import static zoneplane.dataplane.config.DataPlaneConfigLoader.HTTP1_FAST_PATH;
import static zoneplane.dataplane.config.DataPlaneConfigLoader.HTTPS_PORT;
import static zoneplane.dataplane.config.DataPlaneConfigLoader.HTTP_PORT;
import static zoneplane.dataplane.config.DataPlaneConfigLoader.KEEPALIVE_TIMEOUT;
import static zoneplane.dataplane.config.DataPlaneConfigLoader.MANAGEMENT_PORT;
import static zoneplane.dataplane.config.DataPlaneConfigLoader.MAX_HEADER_SIZE;
import static zoneplane.dataplane.config.DataPlaneConfigLoader.NODE_ID;
import static zoneplane.dataplane.config.DataPlaneConfigLoader.PROXY_PROTOCOL;
import static zoneplane.dataplane.config.DataPlaneConfigLoader.REQUEST_BODY_TIMEOUT;
import static zoneplane.dataplane.config.DataPlaneConfigLoader.REQUEST_HEADER_TIMEOUT;
import static zoneplane.dataplane.config.DataPlaneConfigLoader.TLS_CERT_FILE;
import static zoneplane.dataplane.config.DataPlaneConfigLoader.TLS_KEY_FILE;
import static zoneplane.dataplane.config.DataPlaneConfigLoader.TRUSTED_PROXIES;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import zoneplane.dataplane.visitor.IpLiterals;
import zoneplane.model.Cidr;

/**
 * How the node listens for visitors: address, ports and TLS, the node's id, the proxies in front of it
 * (PROXY protocol, trusted forwarders), its event loops, and the limits and timeouts of a visitor
 * connection.
 */
record ListenerSection(String bind, int http, int https, int management, String nodeId, Optional<Path> cert,
        Optional<Path> key, boolean proxyProtocol, List<Cidr> trustedProxies, EventLoopSettings eventLoops,
        Duration keepAlive, boolean http1FastPath, int maxHeader, Duration headerTimeout, Duration bodyTimeout,
        Duration drain) {

    static ListenerSection read(ConfigValues values) {
        List<Cidr> trusted = values.text(TRUSTED_PROXIES).map(v -> cidrs(v, values)).orElse(List.of());
        boolean proxyProtocol = values.bool(PROXY_PROTOCOL, false);
        String bind = values.text(BIND_ADDRESS).orElse("::");
        if (IpLiterals.parse(bind) == null) {
            values.problem(BIND_ADDRESS + " must be an IP address literal such as :: or 0.0.0.0, got '" + bind + "'");
        }
        int http = values.port(HTTP_PORT, DataPlaneEndpoints.HTTP_PORT);
        int https = values.port(HTTPS_PORT, DataPlaneEndpoints.HTTPS_PORT);
        int management = values.port(MANAGEMENT_PORT, DataPlaneEndpoints.MANAGEMENT_PORT);
        String nodeId = values.text(NODE_ID).orElseGet(ListenerSection::defaultNodeId);
        if (!validNodeId(nodeId)) {
            values.problem(NODE_ID + " must be 1-32 characters of A-Z a-z 0-9 and '-', got '" + nodeId + "'");
        }
        Optional<Path> cert = values.path(TLS_CERT_FILE, true);
        Optional<Path> key = values.path(TLS_KEY_FILE, true);
        if (cert.isPresent() != key.isPresent()) {
            values.problem(TLS_CERT_FILE + " and " + TLS_KEY_FILE + " must be set together (the https listener needs both)");
        }
        Duration drain = values.duration(DRAIN_TIMEOUT, Duration.ofSeconds(30));
        int maxHeader = values.integer(MAX_HEADER_SIZE, 16 * 1024, 1024, 1024 * 1024);
        Duration headerTimeout = values.duration(REQUEST_HEADER_TIMEOUT, Duration.ofSeconds(10));
        Duration bodyTimeout = values.duration(REQUEST_BODY_TIMEOUT, Duration.ofSeconds(30));
        EventLoopSettings eventLoops = new EventLoopSettings(
                values.integer(EVENT_LOOPS, EventLoopSettings.perCore().count(), 1, 1024), values.bool(BUSY_POLL, false));
        Duration keepAlive = values.duration(KEEPALIVE_TIMEOUT, Duration.ofSeconds(75));
        boolean http1FastPath = values.bool(HTTP1_FAST_PATH, true);
        return new ListenerSection(bind, http, https, management, nodeId, cert, key, proxyProtocol, trusted, eventLoops,
                keepAlive, http1FastPath, maxHeader, headerTimeout, bodyTimeout, drain);
    }

    private static List<Cidr> cidrs(String value, ConfigValues values) {
        List<Cidr> cidrs = new ArrayList<>();
        for (String part : ConfigValues.entries(value)) {
            try {
                cidrs.add(Cidr.parse(part));
            } catch (IllegalArgumentException e) {
                values.problem(TRUSTED_PROXIES + ": " + e.getMessage());
            }
        }
        return cidrs;
    }

    private static boolean validNodeId(String id) {
        if (id.isEmpty() || id.length() > 32) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            if (!nodeIdCharacter(id.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean nodeIdCharacter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
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
            if (nodeIdCharacter(c)) {
                id.append(c);
            } else if (c == '.') {
                break;
            }
        }
        return id.length() == 0 ? "edge" : id.toString();
    }
}
