package zoneplane.dataplane.guard;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one timer a guarded connection or stream may have: it runs its check no later than the earliest
 * deadline asked for, and a check that finds the deadline has moved arms it again. So a timer is scheduled
 * when something is left unfinished, not on every read. Used on one event loop only; deadlines are
 * {@link System#nanoTime()} values.
 */
final class DeadlineTimer {

    private final EventExecutor executor;
    private final Runnable check;
    private final Runnable fire = this::fire;
    private ScheduledFuture<?> timer;
    private long timerAt;

    DeadlineTimer(EventExecutor executor, Runnable check) {
        this.executor = executor;
        this.check = check;
    }

    /** Makes sure the check runs no later than {@code deadline}. */
    void arm(long deadline) {
        if (timer != null) {
            if (timerAt - deadline <= 0) {
                return;
            }
            timer.cancel(false);
        }
        timerAt = deadline;
        timer = executor.schedule(fire, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void fire() {
        timer = null;
        check.run();
    }
}
