package zoneplane.dataplane.origin;

/**
 * Hears what happens on the way to origins, for the node's metrics ({@code management/OriginMeters});
 * called on event loops, so implementations must not block.
 */
public interface OriginObserver {

    /** Observes nothing (tests of the pool alone). */
    OriginObserver NONE = new OriginObserver() {
        @Override
        public void connectFailed(Throwable cause) {}

        @Override
        public void responded(long nanosSinceRequestWritten) {}
    };

    /** A new origin connection could not be made: refused, timed out, unresolvable, or a prohibited address. */
    void connectFailed(Throwable cause);

    /** An origin's response head arrived, this long after the request's last byte was written. */
    void responded(long nanosSinceRequestWritten);
}
