package zoneplane.dataplane.config;

import static zoneplane.dataplane.config.DataPlaneConfigLoader.CACHE_DIR;
import static zoneplane.dataplane.config.DataPlaneConfigLoader.CONTROL_PLANE_HEARTBEAT_TIMEOUT;
import static zoneplane.dataplane.config.DataPlaneConfigLoader.CONTROL_PLANE_URL;
import static zoneplane.dataplane.config.DataPlaneConfigLoader.NODE_TOKEN;
import static zoneplane.dataplane.config.DataPlaneConfigLoader.SNAPSHOT_FILE;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the node's zones come from: a snapshot file, or the control plane's replicas (with the node
 * token, the heartbeat timeout and the disk cache of what they sent).
 */
record ControlPlaneSection(Optional<Path> snapshot, List<URI> controlPlanes, Duration heartbeatTimeout,
        Optional<Path> cacheDir, Optional<String> nodeToken) {

    static ControlPlaneSection read(ConfigValues values) {
        Optional<Path> snapshot = values.path(SNAPSHOT_FILE, true);
        List<URI> controlPlanes = values.text(CONTROL_PLANE_URL).map(v -> controlPlaneUrls(v, values)).orElse(List.of());
        // Three missed heartbeats of the control plane's default 5 s interval: a replica that stops
        // sending anything (stopped, partitioned without a reset) is left for the next one after this.
        Duration heartbeatTimeout = values.duration(CONTROL_PLANE_HEARTBEAT_TIMEOUT, Duration.ofSeconds(15));
        Optional<Path> cacheDir = values.text(CACHE_DIR).map(Path::of);
        Optional<String> nodeToken = values.text(NODE_TOKEN);
        if (!controlPlanes.isEmpty() && nodeToken.isEmpty()) {
            values.problem(CONTROL_PLANE_URL + " is set but " + NODE_TOKEN
                    + " is not: the control plane accepts only nodes that present the node token");
        }
        return new ControlPlaneSection(snapshot, controlPlanes, heartbeatTimeout, cacheDir, nodeToken);
    }

    /**
     * One or more control-plane replicas, comma-separated. Each entry must be an absolute http(s) URL
     * with a host and nothing after the port but an optional path prefix (no query, no fragment, no
     * user info: the node appends {@code /internal/v1/...} to it). Every bad entry is named.
     */
    private static List<URI> controlPlaneUrls(String value, ConfigValues values) {
        List<URI> urls = new ArrayList<>();
        String[] parts = value.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].trim();
            if (part.isEmpty()) {
                values.problem(CONTROL_PLANE_URL + ": entry " + (i + 1) + " of '" + value
                        + "' is empty (separate the replicas' URLs with single commas)");
                continue;
            }
            URI uri = controlPlaneUrl(part);
            if (uri == null) {
                values.problem(CONTROL_PLANE_URL + ": entry " + (i + 1) + ", '" + part
                        + "', is not an http(s) URL with a host (such as http://control-plane:8080)");
            } else if (urls.contains(uri)) {
                values.problem(CONTROL_PLANE_URL + ": entry " + (i + 1) + ", '" + part + "', is listed twice");
            } else {
                urls.add(uri);
            }
        }
        return urls;
    }

    /** An http(s) URL with a host and no user info, query or fragment; null otherwise. */
    static URI controlPlaneUrl(String text) {
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
}
