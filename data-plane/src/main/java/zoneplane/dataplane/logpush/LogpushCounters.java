package zoneplane.dataplane.logpush;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The node's Logpush totals over all jobs, for the metrics (bounded cardinality: no per-job series). The
 * event loops add to {@link #queued} and {@link #queueFull}; the logpush thread to the rest; any thread reads.
 */
final class LogpushCounters {
    /** Records the event loops handed to the logpush thread. */
    final LongAdder queued = new LongAdder();
    /** Records the event loops dropped because the hand-off queue was full. */
    final LongAdder queueFull = new LongAdder();
    /** Records a destination acknowledged. */
    final AtomicLong delivered = new AtomicLong();
    /** Records a spool's size or age bound dropped, oldest first. */
    final AtomicLong spoolOverflow = new AtomicLong();
    /** Records a destination refused for good (a 4xx other than 408 / 429), or that could not be spooled. */
    final AtomicLong refused = new AtomicLong();
    /** Records sent again after a failed attempt. */
    final AtomicLong retried = new AtomicLong();
    /** Bytes in all jobs' spools. */
    final AtomicLong spoolBytes = new AtomicLong();
    /** Jobs this node delivers now. */
    final AtomicLong jobs = new AtomicLong();
}
