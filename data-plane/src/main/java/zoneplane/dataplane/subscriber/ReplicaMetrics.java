package zoneplane.dataplane.subscriber;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;

/**
 * Which control-plane replica the node follows and how its change streams start (Prometheus names in
 * brackets): the replica streamed from [{@code zoneplane_config_control_plane{url,address} 1}, one
 * series, replaced when the node moves], and change streams opened from a revision the node already
 * had, without a snapshot [{@code zoneplane_config_stream_resumes_total}]; set against
 * {@code zoneplane_config_snapshots_total}, a failover that costs a snapshot shows at once.
 */
final class ReplicaMetrics {

    private final MultiGauge current;
    final Counter resumes;

    ReplicaMetrics(MeterRegistry registry) {
        current = MultiGauge.builder("zoneplane.config.control.plane")
                .description("The control-plane replica the change stream comes from (address: the one of its "
                        + "name's addresses connected to, empty when the JDK resolved the name itself)")
                .register(registry);
        resumes = Counter.builder("zoneplane.config.stream.resumes")
                .description("Change streams resumed from the node's own revision, without a snapshot")
                .register(registry);
    }

    /** The node now streams from {@code replica}. */
    void following(ControlPlaneReplicas.Replica replica) {
        current.register(List.of(MultiGauge.Row.of(
                Tags.of("url", replica.url().toString(), "address", replica.address()), 1)), true);
    }
}
