package zoneplane.dataplane.source;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.List;
import zoneplane.dataplane.config.ConfigException;
import zoneplane.dataplane.config.DataPlaneConfig;
import zoneplane.dataplane.config.DataPlaneConfigLoader;
import zoneplane.dataplane.subscriber.SubscriberOptions;

/**
 * Chooses the node's {@link ViewSource} from configuration (SPEC §7.1): the control-plane subscriber
 * when {@code ZONEPLANE_CONTROL_PLANE_URL} names one or more replicas, else the static
 * {@code ZONEPLANE_SNAPSHOT_FILE}.
 * Without {@code ZONEPLANE_CACHE_DIR} the subscriber keeps its disk cache in
 * {@code .zoneplane/edge-cache/<node id>} under the working directory.
 */
public final class ViewSources {

    private ViewSources() {}

    public static ViewSource choose(DataPlaneConfig config, MeterRegistry registry) {
        if (!config.controlPlaneUrls().isEmpty()) {
            Path cacheDir = config.cacheDir().orElse(Path.of(".zoneplane", "edge-cache", config.nodeId()));
            SubscriberOptions options = SubscriberOptions.defaults().withIdleTimeout(config.controlPlaneHeartbeatTimeout());
            return new ControlPlaneSource(config.controlPlaneUrls(), config.nodeToken().orElseThrow(), config.nodeId(),
                    cacheDir, registry, options);
        }
        return config.snapshotFile()
                .<ViewSource>map(SnapshotFileSource::new)
                .orElseThrow(() -> new ConfigException(List.of("set " + DataPlaneConfigLoader.SNAPSHOT_FILE
                        + " (a snapshot document to serve) or " + DataPlaneConfigLoader.CONTROL_PLANE_URL)));
    }
}
