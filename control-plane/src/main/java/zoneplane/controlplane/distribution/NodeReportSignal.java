package zoneplane.controlplane.distribution;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.stereotype.Component;

/**
 * Wakes threads waiting for data-plane nodes to catch up ({@code Prefer: wait}) whenever any node's
 * report reaches the database, whichever replica received it (the NOTIFY listener signals here).
 * A generation counter means a signal between a waiter's check and its wait is never lost.
 */
@Component
public class NodeReportSignal {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long generation;

    public long generation() {
        lock.lock();
        try {
            return generation;
        } finally {
            lock.unlock();
        }
    }

    public void signal() {
        lock.lock();
        try {
            generation++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the generation differs from {@code seen} or {@code nanos} pass; returns the
     * remaining nanoseconds (≤ 0 when the time ran out).
     */
    public long awaitAfter(long seen, long nanos) throws InterruptedException {
        lock.lock();
        try {
            long remaining = nanos;
            while (generation == seen && remaining > 0) {
                remaining = changed.awaitNanos(remaining);
            }
            return remaining;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "NodeReportSignal{generation=" + generation() + "}";
    }
}
