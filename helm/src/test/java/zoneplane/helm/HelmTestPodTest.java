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
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The {@code helm test} pod. Its script is run here, with the machine's sh, curl and awk (the test
 * image's are busybox's), against a loopback stand-in that answers like the control-plane API contract
 * (accounts, zones, PATCH with {@code Prefer: wait=5}, propagation), so its requests and its pass/fail
 * decisions are checked; against a real control plane and data plane it runs in the cluster with
 * {@code helm test}. The stand-in's propagation answers carry the field names of the control plane's
 * own response records, and some answers put keys in another order or nest other ids first: the
 * script reads JSON by path, never by position.
 */
class HelmTestPodTest {

    private static final String TOKEN = "operator-token-for-the-test";
    private static final String ZONE_ID = "0123456789abcdef0123456789abcdef";
    private static final String ACCOUNT_ID = "5f1e0c0a9b8d7e6f5f1e0c0a9b8d7e6f";
    private static final String NODE_A = "{\"node_id\":\"a\",\"applied_revision\":42,\"applied\":true,"
            + "\"last_seen\":\"2026-11-25T20:00:00.000000Z\",\"refused\":null}";
    private static final String NODE_B = "{\"node_id\":\"b\",\"applied_revision\":42,\"applied\":true,"
            + "\"last_seen\":\"2026-11-25T20:00:00.000000Z\",\"refused\":null}";
    /** What the control plane answers when both live nodes applied revision 42 (its field order). */
    private static final String BOTH_APPLIED = "{\"zone_id\":\"" + ZONE_ID + "\",\"revision\":42,\"latest_revision\":42,"
            + "\"applied\":2,\"live\":2,\"complete\":true,\"nodes\":[" + NODE_A + "," + NODE_B + "]}";
    /**
     * The same facts with the keys in another order: nodes (whose own {@code applied} is a boolean) and a
     * later revision first, as any JSON writer may legally order them.
     */
    private static final String BOTH_APPLIED_REORDERED = "{\"nodes\":[" + NODE_A + "," + NODE_B + "],"
            + "\"complete\":true,\"latest_revision\":43,\"live\":2,\"applied\":2,\"revision\":42,"
            + "\"zone_id\":\"" + ZONE_ID + "\"}";

    @TempDir
    Path work;

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile String propagationHeader = "complete";
    private volatile String propagationBody = BOTH_APPLIED;
    /** Answer accounts and zones with nested objects (holding their own "id") before the object's own id. */
    private volatile boolean nestedIdsFirst;

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
        propagationBody = "{\"zone_id\":\"" + ZONE_ID + "\",\"revision\":42,\"latest_revision\":42,\"applied\":1,"
                + "\"live\":2,\"complete\":false,\"nodes\":[" + NODE_A + ",{\"node_id\":\"b\",\"applied_revision\":41,"
                + "\"applied\":false,\"last_seen\":\"2026-11-25T20:00:00.000000Z\"}]}";

        Run run = runScript();

        assertThat(run.exitCode).as(run.output).isNotZero();
        assertThat(run.output).contains("only 1 of 2 nodes applied the change");
    }

    @Test
    void failsWhenNoDataPlaneNodeIsRegistered() throws Exception {
        propagationBody = "{\"zone_id\":\"" + ZONE_ID + "\",\"revision\":42,\"latest_revision\":42,\"applied\":0,"
                + "\"live\":0,\"complete\":true,\"nodes\":[]}";

        Run run = runScript();

        assertThat(run.exitCode).as(run.output).isNotZero();
        assertThat(run.output).contains("no live data-plane node is registered");
    }

    @Test
    void readsIdsAndCountsWhateverTheOrderOfKeysAndNestedIds() throws Exception {
        nestedIdsFirst = true;
        propagationBody = BOTH_APPLIED_REORDERED;

        Run run = runScript();

        assertThat(run.exitCode).as(run.output).isZero();
        assertThat(run.output).contains("zone helm-test-", "(" + ZONE_ID + ") in account " + ACCOUNT_ID,
                "applied on 2 of 2 data-plane nodes at revision 42", "PASS");
        assertThat(requests).extracting(r -> r.substring(0, r.indexOf(" Bearer"))).containsExactly(
                "POST /client/v4/accounts",
                "POST /client/v4/zones",
                "PATCH /client/v4/zones/" + ZONE_ID + "/settings/websockets",
                "GET /client/v4/zones/" + ZONE_ID + "/propagation",
                "DELETE /client/v4/zones/" + ZONE_ID);
    }

    @Test
    void failsWhenTheZonesLatestRevisionIsOlderThanThePatch() throws Exception {
        propagationBody = BOTH_APPLIED.replace("\"revision\":42", "\"revision\":41");

        Run run = runScript();

        assertThat(run.exitCode).as(run.output).isNotZero();
        assertThat(run.output).contains("propagation revision 41 is older than 42");
    }

    /** The stand-in's propagation answers use the real response's field names, so the script is tested against them. */
    @Test
    void standInPropagationAnswersHaveTheFieldsOfTheControlPlanesResponse() {
        ApplicationEndpoints.PropagationFields real = ApplicationEndpoints.propagationFields();
        for (String body : List.of(BOTH_APPLIED, BOTH_APPLIED_REORDERED)) {
            Map<String, Object> result = new Yaml(new SafeConstructor(new LoaderOptions())).load(body);
            assertThat(result.keySet()).as(body).containsExactlyInAnyOrderElementsOf(real.result());
            for (Object node : (List<?>) result.get("nodes")) {
                assertThat(Manifest.asMap(node).keySet()).as(body).containsExactlyInAnyOrderElementsOf(real.node());
            }
        }
        assertThat(real.result()).as("the control plane's own order").startsWith("zone_id", "revision");
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
            respond(exchange, 200, envelope(nestedIdsFirst
                    ? "{\"owner\":{\"id\":\"operator\"},\"name\":\"zoneplane-helm-test\",\"id\":\"" + ACCOUNT_ID + "\"}"
                    : "{\"id\":\"" + ACCOUNT_ID + "\",\"name\":\"zoneplane-helm-test\"}"));
        } else if ("POST".equals(method) && path.equals("/client/v4/zones")
                && body.matches("\\{\"name\":\"helm-test-[0-9]+\\.zoneplane-test\\.example\","
                        + "\"account\":\\{\"id\":\"" + ACCOUNT_ID + "\"}}")) {
            respond(exchange, 200, envelope(nestedIdsFirst
                    ? "{\"account\":{\"id\":\"" + ACCOUNT_ID + "\",\"name\":\"b\"},\"plan\":{\"id\":\"free\"},"
                            + "\"name\":\"x\",\n  \"id\" : \"" + ZONE_ID + "\"}"
                    : "{\"id\":\"" + ZONE_ID + "\",\"name\":\"x\",\"account\":{\"id\":\"a\",\"name\":\"b\"}}"));
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
