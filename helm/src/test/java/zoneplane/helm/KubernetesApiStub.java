package zoneplane.helm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The Kubernetes API as far as the chart's {@code lookup} calls see it: discovery plus GET of a
 * Secret, from an in-memory map. helm-java renders through Helm's install action, which resolves
 * {@code lookup} against the cluster of KUBECONFIG; Surefire points KUBECONFIG at a file this stub
 * writes, so rendering never reaches a developer's real cluster, and a test can put a Secret "in
 * the cluster" to play an upgrade.
 */
final class KubernetesApiStub {

    private static final Pattern SECRET_PATH =
            Pattern.compile("/api/v1/namespaces/([^/]+)/secrets/([^/?]+)");
    private static KubernetesApiStub instance;

    private final HttpServer server;
    private final Map<String, Map<String, String>> secrets = new ConcurrentHashMap<>();

    private KubernetesApiStub(HttpServer server) {
        this.server = server;
    }

    /** Starts the stub once per JVM and writes the kubeconfig Surefire points KUBECONFIG at. */
    static synchronized KubernetesApiStub running() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    /** Makes the next renders see this Secret (string data, base64-encoded on the wire). */
    void putSecret(String namespace, String name, Map<String, String> data) {
        secrets.put(namespace + "/" + name, Map.copyOf(data));
    }

    void clear() {
        secrets.clear();
    }

    private static KubernetesApiStub start() {
        String kubeconfig = System.getenv("KUBECONFIG");
        if (kubeconfig == null || kubeconfig.isBlank()) {
            throw new IllegalStateException("KUBECONFIG is not set: run these tests through Maven, "
                    + "whose Surefire configuration points it at the stub API (never at a real cluster)");
        }
        try {
            HttpServer server = HttpServer.create(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            KubernetesApiStub stub = new KubernetesApiStub(server);
            server.createContext("/", stub::handle);
            server.start();
            Path file = Path.of(kubeconfig);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, String.join("\n",
                    "apiVersion: v1",
                    "kind: Config",
                    "clusters:",
                    "  - name: stub",
                    "    cluster:",
                    "      server: http://127.0.0.1:" + server.getAddress().getPort(),
                    "contexts:",
                    "  - name: stub",
                    "    context:",
                    "      cluster: stub",
                    "      user: stub",
                    "current-context: stub",
                    "users:",
                    "  - name: stub",
                    "    user: {}",
                    ""));
            return stub;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the Kubernetes API stub", e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        Matcher secret = SECRET_PATH.matcher(path);
        if ("/api".equals(path)) {
            respond(exchange, 200, "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],"
                    + "\"serverAddressByClientCIDRs\":[]}");
        } else if ("/apis".equals(path)) {
            respond(exchange, 200, "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[]}");
        } else if ("/api/v1".equals(path)) {
            respond(exchange, 200, "{\"kind\":\"APIResourceList\",\"groupVersion\":\"v1\",\"resources\":["
                    + "{\"name\":\"secrets\",\"singularName\":\"secret\",\"namespaced\":true,"
                    + "\"kind\":\"Secret\",\"verbs\":[\"get\",\"list\"]}]}");
        } else if (secret.matches() && secrets.containsKey(secret.group(1) + "/" + secret.group(2))) {
            respond(exchange, 200, secretJson(secret.group(1), secret.group(2),
                    secrets.get(secret.group(1) + "/" + secret.group(2))));
        } else {
            respond(exchange, 404, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                    + "\"reason\":\"NotFound\",\"code\":404,\"message\":\"not found\"}");
        }
    }

    private static String secretJson(String namespace, String name, Map<String, String> data) {
        String encoded = data.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":\"" + Base64.getEncoder()
                        .encodeToString(e.getValue().getBytes(StandardCharsets.UTF_8)) + "\"")
                .collect(Collectors.joining(","));
        return "{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"" + name
                + "\",\"namespace\":\"" + namespace + "\"},\"type\":\"Opaque\",\"data\":{" + encoded + "}}";
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
