package zoneplane.dataplane.config;

import static zoneplane.dataplane.config.DataPlaneConfigLoader.NODE_TOKEN;
import static zoneplane.dataplane.logpush.LogpushSettings.ALLOW_PRIVATE_DESTINATIONS;
import static zoneplane.dataplane.logpush.LogpushSettings.ENABLED;
import static zoneplane.dataplane.logpush.LogpushSettings.POLL_INTERVAL;
import static zoneplane.dataplane.logpush.LogpushSettings.QUEUE_SIZE;
import static zoneplane.dataplane.logpush.LogpushSettings.RETRY_MAX;
import static zoneplane.dataplane.logpush.LogpushSettings.RETRY_MIN;
import static zoneplane.dataplane.logpush.LogpushSettings.SPOOL_MAX_AGE;
import static zoneplane.dataplane.logpush.LogpushSettings.SPOOL_MAX_MB;
import static zoneplane.dataplane.logpush.LogpushSettings.URL;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import zoneplane.dataplane.logpush.LogpushSettings;

/**
 * {@code ZONEPLANE_LOGPUSH_*}: jobs are read from {@code ZONEPLANE_LOGPUSH_URL}, else from the control
 * plane's replicas; private destinations follow the origins' rule unless set on their own.
 */
final class LogpushSection {

    private LogpushSection() {}

    static LogpushSettings read(ConfigValues values, ControlPlaneSection controlPlane, boolean allowPrivateOrigins) {
        List<URI> targets = controlPlane.controlPlanes();
        Optional<String> url = values.text(URL);
        if (url.isPresent()) {
            URI parsed = ControlPlaneSection.controlPlaneUrl(url.get());
            if (parsed == null) {
                values.problem(URL + " must be an http(s) URL with a host, got '" + url.get() + "'");
                targets = List.of();
            } else {
                targets = List.of(parsed);
                if (controlPlane.nodeToken().isEmpty()) {
                    values.problem(URL + " is set but " + NODE_TOKEN + " is not: the job feed is read with the node token");
                }
            }
        }
        return new LogpushSettings(values.bool(ENABLED, !targets.isEmpty()), targets,
                values.duration(POLL_INTERVAL, Duration.ofSeconds(5)),
                (long) values.integer(SPOOL_MAX_MB, 100, 1, 1_000_000) << 20,
                values.duration(SPOOL_MAX_AGE, Duration.ofHours(24)),
                values.bool(ALLOW_PRIVATE_DESTINATIONS, allowPrivateOrigins),
                values.integer(QUEUE_SIZE, 65_536, 16, 16 << 20),
                values.duration(RETRY_MIN, Duration.ofSeconds(1)), values.duration(RETRY_MAX, Duration.ofSeconds(60)));
    }
}
