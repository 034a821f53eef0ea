package zoneplane.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;
import zoneplane.controlplane.support.NodeRuntime;
import zoneplane.testing.ApiClient;

/**
 * The OpenAPI document the running control plane serves is strict: checked here in Java for the
 * project's own rules (readable ids from the table, JSON answers, typed parameters, the node token
 * on internal endpoints, a 4xx with an example on every operation), and by a real linter, Redocly
 * CLI (pinned in {@code src/test/openapi-lint/package.json}, installed by
 * {@code bin/install-test-deps}), which must report no error. The document is written to
 * {@code target/openapi.json} for both. The linter half is skipped, saying how to enable it, when
 * node or the linter is not installed.
 */
class OpenApiLintTest extends ControlPlaneIntegrationTest {

    private static final Path LINT_DIR = Path.of("src", "test", "openapi-lint");
    private static final Path DOCUMENT = Path.of("target", "openapi.json");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

    @Test
    void documentFollowsTheProjectsRules() throws IOException {
        JsonNode document = fetchDocument();
        Set<String> ids = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> entry : path.getValue().properties()) {
                if (!METHODS.contains(entry.getKey())) {
                    continue;
                }
                String key = entry.getKey().toUpperCase() + " " + path.getKey();
                JsonNode operation = entry.getValue();
                String id = operation.path("operationId").asString("");
                if (!OpenApiContract.OPERATIONS.containsKey(key)) {
                    problems.add(key + ": no readable operation id in OpenApiContract.OPERATIONS (derived: " + id + ")");
                }
                if (!ids.add(id)) {
                    problems.add(key + ": duplicate operation id " + id);
                }
                if (operation.path("summary").asString("").isBlank()) {
                    problems.add(key + ": no summary");
                }
                checkParameters(key, operation, problems);
                checkResponses(key, operation, problems);
                String scheme = operation.has("security") ? operation.get("security").get(0).propertyNames().iterator().next()
                        : document.get("security").get(0).propertyNames().iterator().next();
                String expected = path.getKey().startsWith("/internal/") ? "node_token" : "api_token";
                if (!scheme.equals(expected)) {
                    problems.add(key + ": security " + scheme + ", expected " + expected);
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(ids).hasSizeGreaterThanOrEqualTo(20);
    }

    @Test
    void redoclyLintFindsNoErrors() throws Exception {
        fetchDocument();
        Path cli = LINT_DIR.resolve("node_modules/@redocly/cli/bin/cli.js");
        Assumptions.assumeTrue(NodeRuntime.available(), "node is not installed: skipping the OpenAPI lint");
        Assumptions.assumeTrue(Files.isRegularFile(cli), "Redocly CLI is not installed: run "
                + "`npm ci --prefix control-plane/src/test/openapi-lint` (bin/install-test-deps does) to enable the OpenAPI lint");
        // loopback only here: no telemetry, no update check
        NodeRuntime.Run run = NodeRuntime.run(LINT_DIR.toFile(), Map.of("REDOCLY_TELEMETRY", "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE", "true"),
                120, List.of(cli.toAbsolutePath().toString(), "lint", "--config", LINT_DIR.resolve("redocly.yaml").toAbsolutePath().toString(),
                        "--format", "stylish", DOCUMENT.toAbsolutePath().toString()));
        String output = run.output();
        assertThat(run.finished()).as("redocly finished within 120 s: " + output).isTrue();
        assertThat(run.exitCode()).as(output).isZero();
        assertThat(output).doesNotContain(" error ");
    }

    private JsonNode fetchDocument() throws IOException {
        ApiClient.Response response = anonymous().get("/openapi.json");
        assertThat(response.status()).isEqualTo(200);
        Files.createDirectories(DOCUMENT.getParent());
        Files.writeString(DOCUMENT, response.body(), StandardCharsets.UTF_8);
        return JSON.readTree(response.body());
    }

    private static void checkParameters(String key, JsonNode operation, List<String> problems) {
        for (JsonNode parameter : operation.path("parameters")) {
            if (!parameter.has("schema") && !parameter.has("content")) {
                problems.add(key + ": parameter " + parameter.path("name").asString() + " has no schema");
            }
        }
    }

    private static void checkResponses(String key, JsonNode operation, List<String> problems) {
        boolean clientErrorWithExample = false;
        for (Map.Entry<String, JsonNode> response : operation.get("responses").properties()) {
            JsonNode content = response.getValue().path("content");
            for (String mediaType : content.propertyNames()) {
                if (!mediaType.equals("application/json") && !mediaType.equals("application/x-ndjson")) {
                    problems.add(key + " " + response.getKey() + ": answers " + mediaType);
                }
            }
            if (response.getKey().startsWith("4") && content.path("application/json").path("examples").size() > 0) {
                clientErrorWithExample = true;
            }
        }
        if (!clientErrorWithExample) {
            problems.add(key + ": no 4xx answer with an example");
        }
    }
}
