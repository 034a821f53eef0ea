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

/**
 * Steady visitor traffic to every given node and zone (one sequential visitor per node, cycling over
 * the zones) while a scenario breaks things; every answer other than 200 and every I/O error is kept.
 * Bounded: it runs until {@link #close()}, which the scenario calls within its own time bound.
 */
final class BackgroundTraffic implements AutoCloseable {

    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong answered = new AtomicLong();
    private final ExecutorService pool;
    private final List<Future<?>> running = new ArrayList<>();

    BackgroundTraffic(List<EdgeNodeProcess> nodes, List<String> zones) {
        pool = Executors.newFixedThreadPool(nodes.size());
        for (EdgeNodeProcess node : nodes) {
            running.add(pool.submit(() -> visit(node, zones)));
        }
    }

    private void visit(EdgeNodeProcess node, List<String> zones) {
        Visitor visitor = new Visitor();
        for (long n = 0; !stop.get(); n++) {
            String zone = zones.get((int) (n % zones.size()));
            try {
                Visitor.Answer answer = visitor.get(node.visitorBase(), zone, "/bg/" + n);
                answered.incrementAndGet();
                if (answer.status() != 200) {
                    failures.add(node.nodeId() + " " + zone + " #" + n + ": HTTP " + answer.status());
                }
            } catch (Exception e) {
                failures.add(node.nodeId() + " " + zone + " #" + n + ": " + e);
            }
            if (failures.size() > 50) {
                return;
            }
        }
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
