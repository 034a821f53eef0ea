package zoneplane.system;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Steady visitor traffic to every given node and zone (one sequential visitor per node, cycling over
 * the zones) while a scenario breaks things; every answer other than 200 and every I/O error is kept.
 * Bounded: it runs until {@link #close()}, which the scenario calls within its own time bound. A node
 * the scenario restarts on purpose is taken out of rotation first ({@link #pause}), as a load balancer
 * would: its visitor finishes the request in flight and then waits until {@link #resume}.
 */
final class BackgroundTraffic implements AutoCloseable {

    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong answered = new AtomicLong();
    private final ExecutorService pool;
    private final List<Future<?>> running = new ArrayList<>();
    private final java.util.Map<String, ReentrantLock> rotation = new java.util.concurrent.ConcurrentHashMap<>();

    BackgroundTraffic(List<EdgeNodeProcess> nodes, List<String> zones) {
        pool = Executors.newFixedThreadPool(nodes.size());
        for (EdgeNodeProcess node : nodes) {
            rotation.put(node.nodeId(), new ReentrantLock(true));
            running.add(pool.submit(() -> visit(node, zones)));
        }
    }

    private void visit(EdgeNodeProcess node, List<String> zones) {
        Visitor visitor = new Visitor();
        for (long n = 0; !stop.get(); n++) {
            String zone = zones.get((int) (n % zones.size()));
            ReentrantLock inRotation = rotation.get(node.nodeId());
            try {
                if (!inRotation.tryLock(1, TimeUnit.SECONDS)) {
                    continue; // out of rotation
                }
            } catch (InterruptedException e) {
                return;
            }
            try {
                Visitor.Answer answer = visitor.get(node.visitorBase(), zone, "/bg/" + n);
                answered.incrementAndGet();
                if (answer.status() != 200) {
                    failures.add(node.nodeId() + " " + zone + " #" + n + ": HTTP " + answer.status());
                }
            } catch (Exception e) {
                failures.add(node.nodeId() + " " + zone + " #" + n + ": " + e);
            } finally {
                inRotation.unlock();
            }
            if (failures.size() > 50) {
                return;
            }
        }
    }

    /** Takes the node out of rotation once its request in flight is answered (call from the test thread). */
    void pause(EdgeNodeProcess node) {
        rotation.get(node.nodeId()).lock();
    }

    /** Puts a node taken out by {@link #pause} (from the same thread) back into rotation. */
    void resume(EdgeNodeProcess node) {
        rotation.get(node.nodeId()).unlock();
    }

    long answered() {
        return answered.get();
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    @Override
    public void close() throws Exception {
        stop.set(true);
        for (Future<?> f : running) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdownNow();
    }
}
