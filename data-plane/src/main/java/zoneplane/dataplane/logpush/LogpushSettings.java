package zoneplane.dataplane.logpush;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Logpush settings of a node ({@code ZONEPLANE_LOGPUSH_*}, read by the configuration loader).
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
}
