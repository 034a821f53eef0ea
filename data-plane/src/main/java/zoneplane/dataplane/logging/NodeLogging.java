package zoneplane.dataplane.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import co.elastic.logging.logback.EcsEncoder;
import org.slf4j.LoggerFactory;
import zoneplane.dataplane.config.LogFormat;

/**
 * The node's logging, configured in code rather than by a {@code logback.xml}: logback's XML
 * configuration loads and runs its Joran parser, about 0.3 s of a cold start (SPEC §8). Found by
 * logback through {@code META-INF/services/ch.qos.logback.classic.spi.Configurator}, before its own
 * configurators.
 *
 * <ul>
 *   <li>Root at INFO to stdout, one line per event: {@value #PATTERN} (the date with its offset, as the
 *       control plane's lines), or with {@code ZONEPLANE_LOG_FORMAT=ecs} one Elastic Common Schema JSON
 *       object per line (Elastic's own encoder, service name {@value #SERVICE_NAME}); Reactor Netty and
 *       Netty at WARN, but Reactor Netty's per-request "Decoding failed" WARN (a visitor's malformed
 *       request) at ERROR.
 *   <li>{@value JsonAccessLog#LOGGER} (the JSON access log, {@code ZONEPLANE_ACCESS_LOG=json}): only the
 *       message, to stdout through a {@link BatchingAccessLogAppender} (queue {@value #ACCESS_QUEUE_SIZE},
 *       never blocking, nothing discarded below full, one write per batch): when stdout cannot keep up,
 *       lines are dropped (and counted) rather than stalling the event loop that logs them. Not additive:
 *       access lines do not reach the root.
 * </ul>
 *
 * An operator's own file wins: with {@code -Dlogback.configurationFile=/path/logback.xml} this
 * configurator steps aside and logback reads that file as usual (data-plane/README.md, "Logging").
 */
public final class NodeLogging extends ContextAwareBase implements Configurator {

    /** Logback's standard system property naming a configuration file. */
    public static final String CONFIGURATION_FILE_PROPERTY = "logback.configurationFile";
    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} - %msg%n";
    static final String SERVICE_NAME = "zoneplane-edge";
    static final int ACCESS_QUEUE_SIZE = 8192;
    static final String UNDECODABLE_REQUEST_LOGGER = "reactor.netty.http.server.HttpServerOperations";

    /** Public, with no arguments: logback instantiates it through {@link java.util.ServiceLoader}. */
    public NodeLogging() {}

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty(CONFIGURATION_FILE_PROPERTY) != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        LogFormat format = LogFormat.parse(LogFormat.configured()).orElse(LogFormat.TEXT);
        root.addAppender(console(context, "STDOUT", format == LogFormat.ECS ? ecs(context) : pattern(context)));
        context.getLogger("reactor.netty").setLevel(Level.WARN);
        context.getLogger("io.netty").setLevel(Level.WARN);
        // Kafka's clients log every producer's whole configuration and each reconnect at INFO.
        context.getLogger("org.apache.kafka").setLevel(Level.WARN);
        // Reactor Netty logs every request it cannot decode (and answers 400 itself) as a multi-line
        // WARN: any visitor could write the node's log at line rate. Those requests are refused either
        // way (README, framing rules); an operator's own logback.xml can bring the lines back.
        context.getLogger(UNDECODABLE_REQUEST_LOGGER).setLevel(Level.ERROR);

        BatchingAccessLogAppender access = new BatchingAccessLogAppender();
        access.setContext(context);
        access.setName("ACCESS");
        access.setQueueSize(ACCESS_QUEUE_SIZE);
        access.start();
        Logger accessLog = context.getLogger(JsonAccessLog.LOGGER);
        accessLog.setLevel(Level.INFO);
        accessLog.setAdditive(false);
        accessLog.addAppender(access);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private static Encoder<ILoggingEvent> pattern(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        return encoder;
    }

    private static Encoder<ILoggingEvent> ecs(LoggerContext context) {
        EcsEncoder encoder = new EcsEncoder();
        encoder.setContext(context);
        encoder.setServiceName(SERVICE_NAME);
        encoder.start();
        return encoder;
    }

    private static ConsoleAppender<ILoggingEvent> console(LoggerContext context, String name, Encoder<ILoggingEvent> encoder) {
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName(name);
        appender.setEncoder(encoder);
        appender.start();
        return appender;
    }

    /**
     * Stops logback, if it is the logging in use (whatever configured it): asynchronous appenders write
     * what they still hold, so the access-log lines of a node's last requests reach stdout before the JVM
     * exits. For the end of the shutdown hook; nothing logged afterwards is written.
     */
    public static void flushAndStop() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }

    @Override
    public String toString() {
        return "NodeLogging{root INFO to stdout, " + JsonAccessLog.LOGGER + " batched (queue " + ACCESS_QUEUE_SIZE + ", never blocking)}";
    }
}
