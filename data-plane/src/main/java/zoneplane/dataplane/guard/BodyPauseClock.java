package zoneplane.dataplane.guard;

/**
 * The rule for pauses inside a request body, shared by HTTP/1.1 connections ({@link SlowClientGuard}) and
 * HTTP/2 streams ({@link Http2SlowClientGuard}): at most {@code ZONEPLANE_REQUEST_BODY_TIMEOUT} may pass
 * between two reads of the body, and time the edge itself is not reading (back-pressure from an origin
 * slower than the visitor) does not count. A slow but steady upload of any length therefore passes.
 *
 * <p>One per body, used on its connection's event loop only; times are {@link System#nanoTime()}.
 */
final class BodyPauseClock {

    private final long limitNanos;
    private long lastRead;

    BodyPauseClock(long limitNanos) {
        this.limitNanos = limitNanos;
    }

    /** The body started, or more of it was read, at {@code now}. */
    void read(long now) {
        lastRead = now;
    }

    /**
     * Whether the visitor has paused too long by {@code now}. While {@code edgeReading} is false the
     * pause is the edge's own and the clock restarts.
     */
    boolean expired(long now, boolean edgeReading) {
        if (!edgeReading) {
            lastRead = now;
        }
        return now - lastRead >= limitNanos;
    }

    /** When the pause would become too long if nothing more is read. */
    long deadline() {
        return lastRead + limitNanos;
    }
}
