package zoneplane.dataplane.source;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import zoneplane.dataplane.subscriber.ConfigSubscriber;
import zoneplane.dataplane.view.LiveZoneView;

/**
 * The live view source: the control-plane subscriber (SPEC §4). {@link #start} returns once the disk
 * cache, if any, is published, so a node whose control plane is down still serves its last good view;
 * the subscriber then snapshots and streams in the background. Every answer from the control plane
 * (heartbeats included) marks the node's config as fresh; loading the disk cache does not.
 */
final class ControlPlaneSource implements ViewSource {

    private final URI controlPlane;
    private final String nodeToken;
    private final String nodeId;
    private final Path cacheDir;
    private final MeterRegistry registry;
    private ConfigSubscriber subscriber;

    ControlPlaneSource(URI controlPlane, String nodeToken, String nodeId, Path cacheDir, MeterRegistry registry) {
        this.controlPlane = controlPlane;
        this.nodeToken = nodeToken;
        this.nodeId = nodeId;
        this.cacheDir = cacheDir;
        this.registry = registry;
    }

    @Override
    public void start(LiveZoneView view, ConfigFreshness freshness) {
        subscriber = new ConfigSubscriber(controlPlane, nodeToken, nodeId, cacheDir, view, registry);
        subscriber.addContactListener(freshness::markFresh);
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
        return "ControlPlaneSource{" + controlPlane + ", node=" + nodeId + ", cache=" + cacheDir + "}";
    }
}
