package zoneplane.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 24 item 9: both planes' own logs as one JSON object per line in the Elastic Common Schema
 * (control plane: Spring Boot's {@code LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs}; edge:
 * {@code ZONEPLANE_LOG_FORMAT=ecs}), dates in every timestamp, and the request id on every line the
 * control plane logs while it handles a request, in text (the default) and in JSON.
 */
class StructuredLogsTest {

    @RegisterExtension
    static final SystemExtension system = SystemExtension.shared();

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String DATE_TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3,9}(Z|[+-]\\d\\d:\\d\\d)";

    @Test
    void bothPlanesWriteEcsJsonLinesAndTheControlPlaneTagsEachRequestsLinesWithItsId() throws Exception {
        SystemHarness sys = system.system();
        Path logs = Path.of("target", "system-logs").toAbsolutePath();
        Map<String, String> webDebug = Map.of("LOGGING_LEVEL_ORG_SPRINGFRAMEWORK_WEB", "DEBUG");
        String token = "zp-logs-" + UUID.randomUUID();
        ControlPlaneProcess ecs = controlPlane(sys, "control-plane-ecs", token, logs,
                Map.of("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs", "LOGGING_LEVEL_ORG_SPRINGFRAMEWORK_WEB", "DEBUG"));
        ControlPlaneProcess text = controlPlane(sys, "control-plane-text", token, logs, webDebug);
        try {
            ecs.start();
            text.start();
            ecs.awaitReady(Duration.ofSeconds(90));
            text.awaitReady(Duration.ofSeconds(90));
            String ecsRequest = "req-ecs-" + UUID.randomUUID();
            String textRequest = "req-text-" + UUID.randomUUID();
            assertThat(ecs.api().withHeader("X-Request-Id", ecsRequest).get("/zones").status()).isEqualTo(200);
            assertThat(text.api().withHeader("X-Request-Id", textRequest).get("/zones").status()).isEqualTo(200);
            EdgeNodeProcess node = sys.startExtraNode("edge-ecs", Map.of("ZONEPLANE_LOG_FORMAT", "ecs"));
            new Visitor().get(node.visitorBase(), "unknown.logs.example.com", "/");
            stop(ecs, text);
            node.process().terminate(Duration.ofSeconds(15));

            List<JsonNode> cpEvents = events(ecs.process().log());
            assertThat(cpEvents).hasSizeGreaterThan(10).allSatisfy(event -> {
                assertThat(field(event, "@timestamp")).matches(DATE_TIME);
                assertThat(field(event, "log.level")).isNotBlank();
                assertThat(field(event, "log.logger")).isNotBlank();
                assertThat(field(event, "ecs.version")).startsWith("8.");
                assertThat(field(event, "service.name")).isEqualTo("zoneplane-control-plane");
            });
            List<JsonNode> requestLines = cpEvents.stream()
                    .filter(e -> e.path("message").asString().contains("\"/zones\"")
                            || e.path("message").asString().contains("ZoneController#list")).toList();
            assertThat(requestLines).as("Spring MVC's lines for GET /zones").hasSizeGreaterThanOrEqualTo(2)
                    .allSatisfy(e -> assertThat(e.path("request_id").asString()).isEqualTo(ecsRequest));

            List<String> textLines = lines(text.process().log());
            assertThat(textLines.stream().filter(l -> l.contains("\"/zones\"") || l.contains("ZoneController#list")).toList())
                    .hasSizeGreaterThanOrEqualTo(2)
                    .allSatisfy(l -> assertThat(l).matches(DATE_TIME + " .*\\[" + textRequest + "\\] .*"));

            List<JsonNode> edgeEvents = events(node.process().log());
            assertThat(edgeEvents).isNotEmpty().allSatisfy(event -> {
                assertThat(field(event, "@timestamp")).matches(DATE_TIME);
                assertThat(field(event, "log.level")).isNotBlank();
                assertThat(field(event, "log.logger")).isNotBlank();
                assertThat(field(event, "ecs.version")).isNotBlank();
                assertThat(field(event, "service.name")).isEqualTo("zoneplane-edge");
            });
            System.out.printf("structured logs: control plane %d ECS lines (%d for the request, all with its id), "
                    + "edge %d ECS lines%n", cpEvents.size(), requestLines.size(), edgeEvents.size());
        } finally {
            stop(ecs, text);
        }
    }

    private static ControlPlaneProcess controlPlane(SystemHarness sys, String name, String token, Path logs,
            Map<String, String> env) throws IOException {
        Path dataDir = Files.createTempDirectory(name);
        Files.deleteIfExists(logs.resolve(name + ".log"));
        return new ControlPlaneProcess(name, Ports.free(), sys.postgres().jdbcUrl(), token,
                "zp-node-" + UUID.randomUUID(), env, dataDir, logs);
    }

    private static void stop(ControlPlaneProcess... planes) {
        for (ControlPlaneProcess plane : planes) {
            if (plane.process().alive()) {
                plane.process().terminate(Duration.ofSeconds(20));
            }
        }
    }

    /** The process's own lines: without the harness's (start marker, parent binding) and the JVM's warnings. */
    private static List<String> lines(Path log) throws IOException {
        return Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("=== ") && !l.startsWith("bound to parent process ")
                        && !l.startsWith("OpenJDK 64-Bit Server VM warning"))
                .toList();
    }

    /**
     * An ECS field by its dotted name, written either nested ({@code {"log":{"level":…}}}, Spring Boot's
     * formatter) or with the dotted key ({@code {"log.level":…}}, Elastic's logback encoder): ECS and
     * Elasticsearch treat the two alike. Empty when absent.
     */
    private static String field(JsonNode event, String name) {
        if (event.has(name)) {
            return event.get(name).asString();
        }
        JsonNode node = event;
        for (String part : name.split("\\.")) {
            node = node.path(part);
        }
        return node.isValueNode() ? node.asString() : "";
    }

    /** Every line as a JSON object (the test fails on the first line that is not one). */
    private static List<JsonNode> events(Path log) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        for (String line : lines(log)) {
            JsonNode event;
            try {
                event = JSON.readTree(line);
            } catch (RuntimeException e) {
                throw new AssertionError("not a JSON line in " + log + ": " + line, e);
            }
            assertThat(event.isObject()).as("not a JSON object: %s", line).isTrue();
            events.add(event);
        }
        return events;
    }
}
