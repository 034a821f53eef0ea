package zoneplane.dataplane.source;

import zoneplane.dataplane.view.LiveZoneView;

/**
 * Where a node's zone view comes from: a snapshot file today, the control-plane subscriber
 * ({@code ZONEPLANE_CONTROL_PLANE_URL}) when it is wired in. {@link #start} publishes the first view
 * (or fails) and may keep publishing newer ones in the background until {@link #close}.
 */
public interface ViewSource extends AutoCloseable {

    void start(LiveZoneView view, ConfigFreshness freshness);

    @Override
    default void close() {}
}
