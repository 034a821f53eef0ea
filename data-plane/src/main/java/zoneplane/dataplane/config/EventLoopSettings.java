package zoneplane.dataplane.config;

/**
 * How the proxy runs its event loops.
 *
 * @param count event loops serving visitors and origins ({@code ZONEPLANE_EVENT_LOOPS}); the default is
 *     one per core the JVM may use, because the proxy never blocks a loop and a second runnable loop on
 *     the same core only adds wake-up latency
 * @param busyPoll whether each loop polls its sockets without ever sleeping ({@code ZONEPLANE_BUSY_POLL}):
 *     every loop then keeps one core 100% busy, which removes the wake-up delay of an idle core (large
 *     on virtual machines) and is only sensible when the node has those cores to itself
 */
public record EventLoopSettings(int count, boolean busyPoll) {

    public EventLoopSettings {
        if (count < 1) {
            throw new IllegalArgumentException("at least one event loop is needed, got " + count);
        }
    }

    /** One loop per available core, sleeping when idle. */
    public static EventLoopSettings perCore() {
        return new EventLoopSettings(Runtime.getRuntime().availableProcessors(), false);
    }
}
