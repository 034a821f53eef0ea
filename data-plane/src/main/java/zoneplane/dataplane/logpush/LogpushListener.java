package zoneplane.dataplane.logpush;

import io.netty.util.internal.PlatformDependent;
import java.util.Queue;
import java.util.Set;
import zoneplane.dataplane.usage.ExchangeListener;
import zoneplane.dataplane.usage.ExchangeRecord;

/**
 * Logpush's {@link ExchangeListener}: on the visitor's event loop it only checks that the record's zone has a
 * job and offers the record to a bounded lock-free queue (Netty's MPSC queue); a full queue drops the record
 * and counts it. Filtering, sampling and formatting happen on the logpush thread, which drains the queue:
 * a job's formatting (dozens of fields, JSON escaping, a byte array per record) and its filter would otherwise
 * cost every visitor's loop per job, and the jobs can change under the logpush thread without any lock or
 * publication the loops would have to read per record. The record itself is immutable, so handing it over is
 * safe; the queue's bound caps the memory a slow logpush thread may hold.
 */
final class LogpushListener implements ExchangeListener {

    private final Queue<ExchangeRecord> queue;
    private final LogpushCounters counters;
    private volatile Set<String> zonesWithJobs = Set.of();

    LogpushListener(int capacity, LogpushCounters counters) {
        this.queue = PlatformDependent.newFixedMpscQueue(capacity);
        this.counters = counters;
    }

    @Override
    public void exchangeEnded(ExchangeRecord record) {
        if (!zonesWithJobs.contains(record.zoneId())) {
            return;
        }
        if (queue.offer(record)) {
            counters.queued.increment();
        } else {
            counters.queueFull.increment();
        }
    }

    /** The zones whose records are wanted now (the logpush thread, when the jobs change). */
    void zones(Set<String> zones) {
        zonesWithJobs = Set.copyOf(zones);
    }

    /** The next queued record, or null (the logpush thread only). */
    ExchangeRecord poll() {
        return queue.poll();
    }

    @Override
    public String toString() {
        return "LogpushListener{" + zonesWithJobs.size() + " zone(s) with jobs}";
    }
}
