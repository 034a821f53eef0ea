package zoneplane.dataplane.logpush;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import zoneplane.dataplane.config.DataPlaneConfigLoader;

/**
 * Logpush settings of a node ({@code ZONEPLANE_LOGPUSH_*}).
 *
 * @param enabled whether the node delivers its zones' Logpush jobs ({@code ZONEPLANE_LOGPUSH_ENABLED}; default on
 *     when there is somewhere to read jobs from)
 * @param targets where the job feed and the outcome reports are: {@code ZONEPLANE_LOGPUSH_URL}, else the
 *     control-plane replicas ({@code ZONEPLANE_CONTROL_PLANE_URL}); empty: no Logpush
 * @param pollInterval how often the job feed is asked ({@code ZONEPLANE_LOGPUSH_POLL_INTERVAL}, 5 s); outcome
 *     reports go at the same pace while something changed
 * @param spoolMaxBytes each job's disk spool bound ({@code ZONEPLANE_LOGPUSH_SPOOL_MAX_MB}, 100 MiB)
 * @param spoolMaxAge the oldest batch a job's spool keeps ({@code ZONEPLANE_LOGPUSH_SPOOL_MAX_AGE}, 24 h)
 * @param allowPrivateDestinations whether destinations may be on loopback, private and other prohibited addresses
 *     and use plain {@code http://} ({@code ZONEPLANE_LOGPUSH_ALLOW_PRIVATE_DESTINATIONS}; default: the origins'
 *     rule, {@code ZONEPLANE_ALLOW_PRIVATE_ORIGINS}, so one switch covers a lab and production stays public)
 * @param queueCapacity records waiting between the event loops and the logpush thread
 *     ({@code ZONEPLANE_LOGPUSH_QUEUE_SIZE}, 65536); more are dropped and counted, never waited for
 * @param retryMin first retry ceiling of a failed delivery ({@code ZONEPLANE_LOGPUSH_RETRY_MIN}, 1 s)
 * @param retryMax the retry ceiling's bound ({@code ZONEPLANE_LOGPUSH_RETRY_MAX}, 60 s)
 */
public record LogpushSettings(boolean enabled, List<URI> targets, Duration pollInterval, long spoolMaxBytes,
        Duration spoolMaxAge, boolean allowPrivateDestinations, int queueCapacity, Duration retryMin,
        Duration retryMax) {

    public static final String ENABLED = "ZONEPLANE_LOGPUSH_ENABLED";
    public static final String URL = "ZONEPLANE_LOGPUSH_URL";
    public static final String POLL_INTERVAL = "ZONEPLANE_LOGPUSH_POLL_INTERVAL";
    public static final String SPOOL_MAX_MB = "ZONEPLANE_LOGPUSH_SPOOL_MAX_MB";
    public static final String SPOOL_MAX_AGE = "ZONEPLANE_LOGPUSH_SPOOL_MAX_AGE";
    public static final String ALLOW_PRIVATE_DESTINATIONS = "ZONEPLANE_LOGPUSH_ALLOW_PRIVATE_DESTINATIONS";
    public static final String QUEUE_SIZE = "ZONEPLANE_LOGPUSH_QUEUE_SIZE";
    public static final String RETRY_MIN = "ZONEPLANE_LOGPUSH_RETRY_MIN";
    public static final String RETRY_MAX = "ZONEPLANE_LOGPUSH_RETRY_MAX";

    public LogpushSettings {
        targets = List.copyOf(targets);
        Objects.requireNonNull(pollInterval);
        Objects.requireNonNull(spoolMaxAge);
        Objects.requireNonNull(retryMin);
        Objects.requireNonNull(retryMax);
    }

    /** Whether jobs are read and delivered. */
    public boolean active() {
        return enabled && !targets.isEmpty();
    }

    /**
     * Reads the settings from {@code source}; each bad value adds a sentence to {@code problems} (the loader
     * refuses to start with any).
     */
    public static LogpushSettings load(Function<String, String> source, List<URI> controlPlanes,
            Optional<String> nodeToken, boolean allowPrivateOrigins, List<String> problems) {
        Reader in = new Reader(source, problems);
        List<URI> targets = controlPlanes;
        Optional<String> url = in.text(URL);
        if (url.isPresent()) {
            URI parsed = in.httpUrl(URL, url.get());
            targets = parsed == null ? List.of() : List.of(parsed);
            if (parsed != null && nodeToken.isEmpty()) {
                problems.add(URL + " is set but ZONEPLANE_NODE_TOKEN is not: the job feed is read with the node token");
            }
        }
        boolean enabled = in.bool(ENABLED, !targets.isEmpty());
        return new LogpushSettings(enabled, targets, in.duration(POLL_INTERVAL, Duration.ofSeconds(5)),
                in.integer(SPOOL_MAX_MB, 100, 1, 1_000_000) << 20, in.duration(SPOOL_MAX_AGE, Duration.ofHours(24)),
                in.bool(ALLOW_PRIVATE_DESTINATIONS, allowPrivateOrigins), (int) in.integer(QUEUE_SIZE, 65_536, 16, 16 << 20),
                in.duration(RETRY_MIN, Duration.ofSeconds(1)), in.duration(RETRY_MAX, Duration.ofSeconds(60)));
    }

    /** The settings' few value kinds, with the loader's wording of a bad value. */
    private record Reader(Function<String, String> source, List<String> problems) {

        Optional<String> text(String name) {
            String value = source.apply(name);
            return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
        }

        boolean bool(String name, boolean fallback) {
            String value = text(name).map(v -> v.toLowerCase(Locale.ROOT)).orElse(null);
            if (value == null) {
                return fallback;
            }
            if (List.of("true", "on", "yes", "1").contains(value)) {
                return true;
            }
            if (List.of("false", "off", "no", "0").contains(value)) {
                return false;
            }
            problems.add(name + " must be true or false, got '" + value + "'");
            return fallback;
        }

        long integer(String name, long fallback, long min, long max) {
            String value = text(name).orElse(null);
            if (value == null) {
                return fallback;
            }
            try {
                long parsed = Long.parseLong(value);
                if (parsed >= min && parsed <= max) {
                    return parsed;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problems.add(name + " must be a whole number from " + min + " to " + max + ", got '" + value + "'");
            return fallback;
        }

        Duration duration(String name, Duration fallback) {
            String value = text(name).orElse(null);
            if (value == null) {
                return fallback;
            }
            Duration parsed = DataPlaneConfigLoader.parseDuration(value);
            if (parsed == null || parsed.isNegative() || parsed.isZero()) {
                problems.add(name + " must be a positive duration such as 30s, 500ms, 5m or PT30S, got '" + value + "'");
                return fallback;
            }
            return parsed;
        }

        URI httpUrl(String name, String value) {
            try {
                URI uri = new URI(value);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                    return uri;
                }
            } catch (java.net.URISyntaxException e) {
                // reported below
            }
            problems.add(name + " must be an http(s) URL with a host, got '" + value + "'");
            return null;
        }
    }
}
