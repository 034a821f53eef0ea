package zoneplane.dataplane.source;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import zoneplane.dataplane.subscriber.ConfigSubscriber;
import zoneplane.dataplane.subscriber.SubscriberOptions;
import zoneplane.dataplane.view.LiveZoneView;

/**
 * The live view source: the control-plane subscriber (SPEC §4). {@link #start} returns once the disk
 * cache, if any, is published, so a node whose control plane is down still serves its last good view;
 * the subscriber then snapshots and streams in the background. Every answer from the control plane
 * (heartbeats included) marks the node's config as fresh; loading the disk cache does not. Given
 * several replicas, the subscriber follows whichever answers and moves on when it stops answering.
 */
final class ControlPlaneSource implements ViewSource {

    private final List<URI> controlPlanes;
    private final String nodeToken;
    private final String nodeId;
    private final Path cacheDir;
    private final MeterRegistry registry;
    private final SubscriberOptions options;
    private ConfigSubscriber subscriber;

    ControlPlaneSource(List<URI> controlPlanes, String nodeToken, String nodeId, Path cacheDir, MeterRegistry registry,
            SubscriberOptions options) {
        this.controlPlanes = List.copyOf(controlPlanes);
        this.options = options;
        this.nodeToken = nodeToken;
        this.nodeId = nodeId;
        this.cacheDir = cacheDir;
        this.registry = registry;
    }

    @Override
    public void start(LiveZoneView view, ConfigFreshness freshness) {
        subscriber = new ConfigSubscriber(controlPlanes, nodeToken, nodeId, cacheDir, view, registry, options);
        subscriber.addContactListener(freshness::markFresh);
        freshness.healthDetailsFrom(subscriber::healthDetails);
        subscriber.start();
    }

    @Override
    public void close() {
        if (subscriber != null) {
            subscriber.close();
        }
    }

    @Override
    public String toString() {
        return "ControlPlaneSource{" + controlPlanes + ", node=" + nodeId + ", cache=" + cacheDir + "}";
    }
}
