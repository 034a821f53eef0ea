package zoneplane.dataplane.geo;

import java.net.InetAddress;
import java.util.Objects;

/**
 * {@link TorExitNodes} that knows no exit until {@link #swap} hands it the loaded list, so the exit list
 * can be read after the listeners are bound. One volatile read per lookup.
 */
public final class SwappableTorExitNodes implements TorExitNodes, AutoCloseable {

    private static final TorExitNodes NOT_YET_LOADED = new TorExitNodes() {
        @Override
        public boolean isExit(InetAddress address) {
            return false;
        }

        @Override
        public String toString() {
            return "NotYetLoaded";
        }
    };

    private volatile TorExitNodes current = NOT_YET_LOADED;
    private volatile boolean closed;

    @Override
    public boolean isExit(InetAddress address) {
        return current.isExit(address);
    }

    /** From now on lookups go to {@code loaded}; after {@link #close} it is closed instead. */
    public void swap(TorExitNodes loaded) {
        current = Objects.requireNonNull(loaded);
        if (closed) {
            closeQuietly(loaded);
        }
    }

    public boolean loaded() {
        return current != NOT_YET_LOADED;
    }

    /** Closes the loaded list (its file watcher), if any; a list swapped in later is closed at once. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(current);
    }

    private static void closeQuietly(TorExitNodes nodes) {
        if (nodes instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // a file watcher that fails to stop on shutdown leaves nothing to repair
            }
        }
    }

    @Override
    public String toString() {
        return "SwappableTorExitNodes{" + current + "}";
    }
}
