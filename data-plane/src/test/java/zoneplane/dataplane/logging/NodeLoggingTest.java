package zoneplane.dataplane.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.ConsoleAppender;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;
import zoneplane.dataplane.config.LogFormat;

/** The node's logging configured in code, and an operator's own logback.xml taking its place. */
class NodeLoggingTest {

    /** An ISO-8601 local date and time with milliseconds and the offset, as both planes write it. */
    private static final String DATE_TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d)";

    @TempDir
    Path dir;

    @Test
    void configuresTheConsoleFormatAndANeverBlockingBatchedAccessLog() {
        LoggerContext context = new LoggerContext();

        assertThat(new NodeLogging().configure(context)).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.INFO);
        ConsoleAppender<?> console = (ConsoleAppender<?>) root.getAppender("STDOUT");
        assertThat(((PatternLayoutEncoder) console.getEncoder()).getPattern())
                .isEqualTo("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} - %msg%n");
        assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("reactor.netty").getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("reactor.netty.http.server.HttpServerOperations").getLevel()).isEqualTo(Level.ERROR);

        Logger access = context.getLogger(JsonAccessLog.LOGGER);
        assertThat(access.isAdditive()).isFalse();
        BatchingAccessLogAppender batched = (BatchingAccessLogAppender) access.getAppender("ACCESS");
        assertThat(batched.isStarted()).isTrue();
        assertThat(batched.getQueueSize()).isEqualTo(8192);
        assertThat(batched.getBatchMillis()).isEqualTo(20);
        context.stop();
    }

    @Test
    void aJvmOfTheNodeLogsInTheNodesFormatWithoutAnyLogbackXml() throws Exception {
        List<String> lines = runProbe();

        assertThat(lines).anySatisfy(line -> assertThat(line)
                .matches(DATE_TIME + " INFO  \\[main\\] \\S*LoggingProbe - hello from the node"));
        assertThat(lines).contains("{\"status\":200}").noneMatch(line -> line.contains("netty chatter"));
    }

    @Test
    void withTheEcsFormatEveryLineOfTheNodeIsOneElasticCommonSchemaObject() throws Exception {
        List<String> lines = runProbe(Map.of(LogFormat.VARIABLE, "ecs"));

        List<Map<String, String>> events = lines.stream().filter(line -> !line.equals("{\"status\":200}"))
                .map(NodeLoggingTest::jsonObject).toList();
        assertThat(events).hasSize(2).allSatisfy(event -> {
            assertThat(event.get("@timestamp")).matches(DATE_TIME);
            assertThat(event).containsEntry("service.name", "zoneplane-edge").containsKey("ecs.version")
                    .containsEntry("process.thread.name", "main")
                    .containsEntry("log.logger", LoggingProbe.class.getName());
        });
        assertThat(events.get(0)).containsEntry("log.level", "INFO").containsEntry("message", "hello from the node");
        assertThat(events.get(1)).containsEntry("log.level", "WARN").containsEntry("message", "origin \"refused\"")
                .containsEntry("zone", "probe.example.com").containsEntry("error.type", "java.lang.IllegalStateException")
                .containsEntry("error.message", "boom");
        assertThat(events.get(1).get("error.stack_trace")).contains("LoggingProbe.main");
        assertThat(lines).as("the access log keeps its own JSON lines").contains("{\"status\":200}");
    }

    @Test
    void anOperatorsOwnLogbackXmlNamedByTheStandardPropertyWins() throws Exception {
        Path xml = dir.resolve("my-logback.xml");
        Files.writeString(xml, """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>mine %level %logger{0}: %msg%n</pattern></encoder>
                  </appender>
                  <root level="DEBUG"><appender-ref ref="OUT"/></root>
                </configuration>
                """);

        List<String> lines = runProbe("-D" + NodeLogging.CONFIGURATION_FILE_PROPERTY + "=" + xml);

        assertThat(lines).contains("mine INFO LoggingProbe: hello from the node",
                "mine INFO Something: netty chatter below WARN", "mine INFO access: {\"status\":200}");
    }

    /** Runs {@link LoggingProbe} in its own JVM (logback configures itself once per JVM); its output lines. */
    private List<String> runProbe(String... jvmOptions) throws IOException, InterruptedException {
        return runProbe(Map.of(), jvmOptions);
    }

    private List<String> runProbe(Map<String, String> env, String... jvmOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), LoggingProbe.class.getName()));
        Path out = dir.resolve("probe.out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().remove(LogFormat.VARIABLE);
        builder.environment().putAll(env);
        Process probe = builder.start();
        assertThat(probe.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(probe.exitValue()).as("probe output %s", lines).isZero();
        return lines;
    }

    /** The top-level fields of one JSON object line, as strings (fails the test when the line is not one). */
    private static Map<String, String> jsonObject(String line) {
        Map<String, String> fields = new LinkedHashMap<>();
        try (JsonParser parser = new JsonFactory().createParser(ObjectReadContext.empty(), line)) {
            assertThat(parser.nextToken()).as("not a JSON object: %s", line).isEqualTo(JsonToken.START_OBJECT);
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value.isStructStart()) {
                    parser.skipChildren();
                } else {
                    fields.put(name, parser.getValueAsString());
                }
            }
            assertThat(parser.nextToken()).as("more than one object on a line: %s", line).isNull();
        }
        return fields;
    }
}
