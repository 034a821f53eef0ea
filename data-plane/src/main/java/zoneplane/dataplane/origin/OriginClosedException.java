package zoneplane.dataplane.origin;

/** The origin closed its connection before the response was complete. */
public final class OriginClosedException extends RuntimeException {

    OriginClosedException() {
        super("origin closed the connection before the response ended", null, false, false);
    }
}
