package zoneplane.dataplane.config;

import static zoneplane.dataplane.config.DataPlaneConfigLoader.ACCESS_LOG;
import static zoneplane.dataplane.config.DataPlaneConfigLoader.METRICS_ZONE_LIMIT;

import java.util.Locale;
import java.util.Optional;

/** What the node tells its operator: the access log, the log format, and how many zones get their own metrics. */
record ObservabilitySection(boolean jsonAccessLog, int metricsZoneLimit) {

    static ObservabilitySection read(ConfigValues values) {
        boolean jsonAccessLog = accessLog(values);
        // Logging is configured before this loader runs (logging/NodeLogging falls back to text); a bad
        // value still stops the node here, as every other bad setting does.
        if (LogFormat.parse(values.raw(LogFormat.VARIABLE)).isEmpty()) {
            values.problem(LogFormat.VARIABLE + " must be text or ecs, got '" + values.raw(LogFormat.VARIABLE) + "'");
        }
        int metricsZoneLimit = values.integer(METRICS_ZONE_LIMIT, 1000, 0, 1_000_000);
        return new ObservabilitySection(jsonAccessLog, metricsZoneLimit);
    }

    /** {@code json} → one JSON line per request; {@code off} (the default) → none. */
    private static boolean accessLog(ConfigValues values) {
        Optional<String> value = values.text(ACCESS_LOG).map(v -> v.toLowerCase(Locale.ROOT));
        if (value.isEmpty() || value.get().equals("off")) {
            return false;
        }
        if (value.get().equals("json")) {
            return true;
        }
        values.problem(ACCESS_LOG + " must be json or off, got '" + value.get() + "'");
        return false;
    }
}
