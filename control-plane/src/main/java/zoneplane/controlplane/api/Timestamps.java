package zoneplane.controlplane.api;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Timestamps as Cloudflare writes them: RFC 3339 in UTC with exactly six fraction digits,
 * {@code 2026-11-23T10:00:00.123456Z}. PostgreSQL keeps microseconds, so nothing is lost.
 */
public final class Timestamps {

    private static final DateTimeFormatter MICROS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {}

    public static String format(Instant instant) {
        return instant == null ? null : MICROS.format(instant);
    }
}
