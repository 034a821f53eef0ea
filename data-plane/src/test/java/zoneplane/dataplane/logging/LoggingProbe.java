package zoneplane.dataplane.logging;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;
import zoneplane.dataplane.proxy.JsonAccessLog;

/** A JVM that logs one line to the root and one access-log line, then stops logback (flushing it). */
public final class LoggingProbe {

    private LoggingProbe() {}

    public static void main(String[] args) {
        LoggerFactory.getLogger(LoggingProbe.class).info("hello from the node");
        LoggerFactory.getLogger("io.netty.Something").info("netty chatter below WARN");
        LoggerFactory.getLogger(JsonAccessLog.LOGGER).info("{\"status\":200}");
        ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
    }
}
