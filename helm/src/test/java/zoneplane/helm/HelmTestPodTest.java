package zoneplane.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static zoneplane.helm.ZoneplaneChart.FULLNAME;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code helm test} pod. Its script is run here, with the machine's sh and curl, against a
 * loopback stand-in that answers like the control-plane API contract (accounts, zones, PATCH with
 * {@code Prefer: wait=5}, propagation), so its requests and its pass/fail decisions are checked;
 * against a real control plane and data plane it runs in the cluster with {@code helm test}.
 */
class HelmTestPodTest {

    private static final String TOKEN = "operator-token-for-the-test";
    private static final String ZONE_ID = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path work;

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile String propagationHeader = "complete";
    private volatile String propagationBody =
            "{\"revision\":42,\"nodes\":[{\"node_id\":\"a\",\"applied_revision\":42},"
                    + "{\"node_id\":\"b\",\"applied_revision\":42}],\"applied\":2,\"total\":2}";

    @BeforeEach
    void startControlPlaneStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private Manifest pod() {
        return ZoneplaneChart.render().get("Pod", FULLNAME + "-test-propagation");
    }

    @Test
    void theTestPodIsAHelmTestHookReachingTheApiWithTheOperatorToken() {
        Manifest pod = pod();
        assertThat(pod.annotations()).containsEntry("helm.sh/hook", "test");
        Map<String, Object> env = SecretHandlingTest.envByName(pod.container("propagation"));
        assertThat(Manifest.asMap(env.get("API")))
                .containsEntry("value", "http://" + FULLNAME + "-control-plane:8080/client/v4");
        assertThat(SecretHandlingTest.secretRef(env, "ZONEPLANE_BOOTSTRAP_TOKEN"))
                .containsEntry("name", FULLNAME + "-tokens")
                .containsEntry("key", "bootstrap-token");
        assertThat((String) pod.container("propagation").get("image")).contains("curlimages/curl");
    }

    @Test
    void passesWhenEveryNodeAppliedThePatchAndCleansUpItsZone() throws Exception {
        Run run = runScript();

        assertThat(run.exitCode).as(run.output).isZero();
        assertThat(run.output).contains("applied on 2 of 2 data-plane nodes at revision 42", "PASS");
        assertThat(requests).containsExactly(
                "POST /client/v4/accounts Bearer " + TOKEN + " prefer=null",
                "POST /client/v4/zones Bearer " + TOKEN + " prefer=null",
                "PATCH /client/v4/zones/" + ZONE_ID + "/settings/websockets Bearer " + TOKEN + " prefer=wait=5",
                "GET /client/v4/zones/" + ZONE_ID + "/propagation Bearer " + TOKEN + " prefer=null",
                "DELETE /client/v4/zones/" + ZONE_ID + " Bearer " + TOKEN + " prefer=null");
    }

    @Test
    void failsWhenThePatchAnswersPartialPropagation() throws Exception {
        propagationHeader = "partial";

        Run run = runScript();

        assertThat(run.exitCode).as(run.output).isNotZero();
        assertThat(run.output).contains("Zoneplane-Propagation is 'partial'");
        assertThat(requests).last().asString().startsWith("DELETE ");
    }

    @Test
    void failsWhenANodeHasNotAppliedTheRevision() throws Exception {
        propagationBody = "{\"revision\":42,\"nodes\":[{\"node_id\":\"a\",\"applied_revision\":42},"
                + "{\"node_id\":\"b\",\"applied_revision\":41}],\"applied\":1,\"total\":2}";

        Run run = runScript();

        assertThat(run.exitCode).as(run.output).isNotZero();
        assertThat(run.output).contains("only 1 of 2 nodes applied the change");
    }

    @Test
    void failsWhenNoDataPlaneNodeIsRegistered() throws Exception {
        propagationBody = "{\"revision\":42,\"nodes\":[],\"applied\":0,\"total\":0}";

        Run run = runScript();

        assertThat(run.exitCode).as(run.output).isNotZero();
        assertThat(run.output).contains("no data-plane node is registered");
    }

    @Test
    void failsWithAClearMessageWhenTheApiIsUnreachable() throws Exception {
        server.stop(0);

        Run run = runScript();

        assertThat(run.exitCode).as(run.output).isNotZero();
        assertThat(run.output).contains("cannot reach");
    }

    private record Run(int exitCode, String output) {}

    @SuppressWarnings("unchecked")
    private Run runScript() throws Exception {
        List<String> command = (List<String>) pod().container("propagation").get("command");
        assertThat(command.subList(0, 2)).containsExactly("/bin/sh", "-c");
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command.get(2)).redirectErrorStream(true);
        builder.environment().put("API", "http://127.0.0.1:" + server.getAddress().getPort() + "/client/v4");
        builder.environment().put("ZONEPLANE_BOOTSTRAP_TOKEN", TOKEN);
        builder.environment().put("TMPDIR", work.toString());
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the helm test script did not finish within 60 s");
        }
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private void answer(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(method + " " + path + " " + exchange.getRequestHeaders().getFirst("Authorization")
                + " prefer=" + exchange.getRequestHeaders().getFirst("Prefer"));
        String bearer = "Bearer " + TOKEN;
        if (!bearer.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            respond(exchange, 401, "{\"success\":false,\"errors\":[{\"code\":10000,\"message\":\"Authentication error\"}]}");
        } else if ("POST".equals(method) && path.equals("/client/v4/accounts")
                && body.equals("{\"name\":\"zoneplane-helm-test\"}")) {
            respond(exchange, 200, envelope("{\"id\":\"5f1e0c0a9b8d7e6f5f1e0c0a9b8d7e6f\",\"name\":\"zoneplane-helm-test\"}"));
        } else if ("POST".equals(method) && path.equals("/client/v4/zones")
                && body.matches("\\{\"name\":\"helm-test-[0-9]+\\.zoneplane-test\\.example\","
                        + "\"account\":\\{\"id\":\"5f1e0c0a9b8d7e6f5f1e0c0a9b8d7e6f\"}}")) {
            respond(exchange, 200, envelope("{\"id\":\"" + ZONE_ID + "\",\"name\":\"x\",\"account\":{\"id\":\"a\",\"name\":\"b\"}}"));
        } else if ("PATCH".equals(method) && path.equals("/client/v4/zones/" + ZONE_ID + "/settings/websockets")
                && body.equals("{\"value\":\"off\"}")) {
            exchange.getResponseHeaders().set("Zoneplane-Revision", "42");
            exchange.getResponseHeaders().set("Zoneplane-Propagation", propagationHeader);
            respond(exchange, 200, envelope("{\"id\":\"websockets\",\"value\":\"off\",\"editable\":true}"));
        } else if ("GET".equals(method) && path.equals("/client/v4/zones/" + ZONE_ID + "/propagation")) {
            respond(exchange, 200, envelope(propagationBody));
        } else if ("DELETE".equals(method) && path.equals("/client/v4/zones/" + ZONE_ID)) {
            respond(exchange, 200, envelope("{\"id\":\"" + ZONE_ID + "\"}"));
        } else {
            respond(exchange, 404, "{\"success\":false,\"errors\":[{\"code\":7003,\"message\":\"not found\"}]}");
        }
    }

    private static String envelope(String result) {
        return "{\"success\":true,\"errors\":[],\"messages\":[],\"result\":" + result + "}";
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
