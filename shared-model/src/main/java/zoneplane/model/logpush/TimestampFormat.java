package zoneplane.model.logpush;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How a job writes {@link FieldType#TIMESTAMP} fields ({@code output_options.timestamp_format}):
 * {@code unixnano} (Cloudflare's default: nanoseconds since the epoch, a number), {@code unix}
 * (seconds, a number), {@code rfc3339} ({@code 2026-12-07T14:05:03Z}) or {@code rfc3339ms}
 * ({@code 2026-12-07T14:05:03.123Z}), both UTC strings.
 */
public enum TimestampFormat {
    UNIXNANO("unixnano"),
    UNIX("unix"),
    RFC3339("rfc3339"),
    RFC3339MS("rfc3339ms");

    private final String wire;

    TimestampFormat(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<TimestampFormat> fromWire(String wire) {
        return Arrays.stream(values()).filter(f -> f.wire.equals(wire)).findFirst();
    }

    /** "unixnano, unix, rfc3339, rfc3339ms", for messages. */
    public static String allowed() {
        return Arrays.stream(values()).map(TimestampFormat::wire).collect(Collectors.joining(", "));
    }
}
