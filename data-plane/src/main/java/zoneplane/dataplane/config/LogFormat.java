package zoneplane.dataplane.config;

import java.util.Locale;
import java.util.Optional;

/**
 * How the node writes its own log lines ({@value #VARIABLE}): {@code text} (the default) or {@code ecs},
 * one JSON object per line in the Elastic Common Schema, the format the control plane writes with
 * {@code LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs}, so one log pipeline parses both planes. The access
 * log ({@code ZONEPLANE_ACCESS_LOG=json}) is its own JSON either way.
 */
public enum LogFormat {
    TEXT,
    ECS;

    public static final String VARIABLE = "ZONEPLANE_LOG_FORMAT";

    /** The format a value names (case-insensitive; unset or blank is {@link #TEXT}); empty for anything else. */
    public static Optional<LogFormat> parse(String value) {
        if (value == null || value.isBlank()) {
            return Optional.of(TEXT);
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "text" -> Optional.of(TEXT);
            case "ecs" -> Optional.of(ECS);
            default -> Optional.empty();
        };
    }

    /** From the process, as the config loader reads it: a system property first, then the environment. */
    public static String configured() {
        String property = System.getProperty(VARIABLE);
        return property != null ? property : System.getenv(VARIABLE);
    }
}
