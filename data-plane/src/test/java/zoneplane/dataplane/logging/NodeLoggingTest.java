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
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zoneplane.dataplane.proxy.JsonAccessLog;

/** The node's logging configured in code, and an operator's own logback.xml taking its place. */
class NodeLoggingTest {

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
                .isEqualTo("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n");
        assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("reactor.netty").getLevel()).isEqualTo(Level.WARN);

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
                .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[main\\] \\S*LoggingProbe - hello from the node"));
        assertThat(lines).contains("{\"status\":200}").noneMatch(line -> line.contains("netty chatter"));
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
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), LoggingProbe.class.getName()));
        Path out = dir.resolve("probe.out");
        Process probe = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(probe.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(probe.exitValue()).as("probe output %s", lines).isZero();
        return lines;
    }
}
