package zoneplane.dataplane.source;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import zoneplane.dataplane.config.ConfigException;
import zoneplane.dataplane.config.DataPlaneConfig;
import zoneplane.dataplane.config.DataPlaneConfigLoader;

/**
 * Chooses the node's {@link ViewSource} from configuration (SPEC §7.1): the control-plane subscriber
 * when {@code ZONEPLANE_CONTROL_PLANE_URL} is set, else the static {@code ZONEPLANE_SNAPSHOT_FILE}.
 * The subscriber ({@code zoneplane.dataplane.subscriber.ConfigSubscriber}) belongs here and only here,
 * as a {@code ViewSource} whose {@code start} calls the subscriber's {@code start} and registers a view
 * listener that marks the {@link ConfigFreshness}; {@code registry} is for its meters.
 */
public final class ViewSources {

    private ViewSources() {}

    public static ViewSource choose(DataPlaneConfig config, MeterRegistry registry) {
        if (config.controlPlaneUrl().isPresent()) {
            throw new ConfigException(List.of(DataPlaneConfigLoader.CONTROL_PLANE_URL
                    + " is set, but DataPlaneMain does not start the control-plane subscriber yet: unset it and set "
                    + DataPlaneConfigLoader.SNAPSHOT_FILE + " to serve a static snapshot"));
        }
        return config.snapshotFile()
                .<ViewSource>map(SnapshotFileSource::new)
                .orElseThrow(() -> new ConfigException(List.of("set " + DataPlaneConfigLoader.SNAPSHOT_FILE
                        + " (a snapshot document to serve) or " + DataPlaneConfigLoader.CONTROL_PLANE_URL)));
    }
}
