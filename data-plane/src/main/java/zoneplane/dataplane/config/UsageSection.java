package zoneplane.dataplane.config;

import static zoneplane.dataplane.config.DataPlaneConfigLoader.NODE_TOKEN;
import static zoneplane.dataplane.config.DataPlaneConfigLoader.USAGE_BATCH_MINUTES;
import static zoneplane.dataplane.config.DataPlaneConfigLoader.USAGE_ENABLED;
import static zoneplane.dataplane.config.DataPlaneConfigLoader.USAGE_GROUP_LIMIT;
import static zoneplane.dataplane.config.DataPlaneConfigLoader.USAGE_MAX_REPORT_KB;
import static zoneplane.dataplane.config.DataPlaneConfigLoader.USAGE_RETRY_MAX;
import static zoneplane.dataplane.config.DataPlaneConfigLoader.USAGE_RETRY_MIN;
import static zoneplane.dataplane.config.DataPlaneConfigLoader.USAGE_SPOOL_MAX_AGE;
import static zoneplane.dataplane.config.DataPlaneConfigLoader.USAGE_SPOOL_MAX_MB;
import static zoneplane.dataplane.config.DataPlaneConfigLoader.USAGE_URL;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import zoneplane.dataplane.usage.UsageSettings;

/** {@code ZONEPLANE_USAGE_*}: minutes go to {@code ZONEPLANE_USAGE_URL}, else to the control plane's replicas. */
final class UsageSection {

    private UsageSection() {}

    static UsageSettings read(ConfigValues values, ControlPlaneSection controlPlane) {
        UsageSettings defaults = UsageSettings.DEFAULTS;
        List<URI> targets = controlPlane.controlPlanes();
        Optional<String> url = values.text(USAGE_URL);
        if (url.isPresent()) {
            URI parsed = ControlPlaneSection.controlPlaneUrl(url.get());
            if (parsed == null) {
                values.problem(USAGE_URL + " must be an http(s) URL with a host, got '" + url.get() + "'");
            } else {
                targets = List.of(parsed);
                if (controlPlane.nodeToken().isEmpty()) {
                    values.problem(USAGE_URL + " is set but " + NODE_TOKEN + " is not: usage is shipped with the node token");
                }
            }
        }
        return new UsageSettings(values.bool(USAGE_ENABLED, defaults.enabled()), targets,
                (long) values.integer(USAGE_SPOOL_MAX_MB, (int) (defaults.spoolMaxBytes() >> 20), 1, 1_000_000) << 20,
                values.duration(USAGE_SPOOL_MAX_AGE, defaults.spoolMaxAge()),
                values.integer(USAGE_GROUP_LIMIT, defaults.groupLimit(), 10, 1_000_000),
                values.integer(USAGE_BATCH_MINUTES, defaults.batchMinutes(), 1, 1_000_000),
                (long) values.integer(USAGE_MAX_REPORT_KB, (int) (defaults.maxReportBytes() >> 10), 16, 1_000_000) << 10,
                values.duration(USAGE_RETRY_MIN, defaults.retryMin()), values.duration(USAGE_RETRY_MAX, defaults.retryMax()));
    }
}
