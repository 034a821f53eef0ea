package zoneplane.dataplane.logging;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A JVM that logs one line to the root, a WARN with an exception and a context value, and one access-log
 * line, then stops logback (flushing it).
 */
public final class LoggingProbe {

    private LoggingProbe() {}

    public static void main(String[] args) {
        LoggerFactory.getLogger(LoggingProbe.class).info("hello from the node");
        LoggerFactory.getLogger("io.netty.Something").info("netty chatter below WARN");
        MDC.put("zone", "probe.example.com");
        LoggerFactory.getLogger(LoggingProbe.class).warn("origin \"refused\"", new IllegalStateException("boom"));
        MDC.remove("zone");
        LoggerFactory.getLogger(JsonAccessLog.LOGGER).info("{\"status\":200}");
        ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
    }
}
