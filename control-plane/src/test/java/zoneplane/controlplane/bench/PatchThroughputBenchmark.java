package zoneplane.controlplane.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import zoneplane.controlplane.support.ApiClient;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;
import zoneplane.controlplane.support.Fixtures;

/**
 * Prints sustained setting-PATCH throughput and latency (SPEC §8 target: ≥ 2,000 PATCH/s on
 * embedded PostgreSQL). Every PATCH flips a value, so every one is a real change with its own
 * revision. Bounded by {@code zoneplane.bench.seconds} (default 15) and 200,000 requests.
 * Not part of the normal suite: run with
 * {@code mvn -pl control-plane -am test -Dtest=PatchThroughputBenchmark -Dzoneplane.bench=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "zoneplane.bench", matches = "true")
class PatchThroughputBenchmark extends ControlPlaneIntegrationTest {

    private static final int ZONES = 64;
    private static final int CLIENTS = Integer.getInteger("zoneplane.bench.clients", 32);
    private static final int MAX_REQUESTS = 200_000;

    @Test
    void printsPatchThroughput() throws Exception {
        Fixtures fixtures = new Fixtures(api());
        String account = fixtures.account();
        List<String> zones = new ArrayList<>();
        for (int i = 0; i < ZONES; i++) {
            zones.add(fixtures.zone(account, Fixtures.uniqueName(), "free").get("id").asString());
        }
        run(zones, 3);
        long seconds = Long.getLong("zoneplane.bench.seconds", 15);
        long[] latencies = run(zones, seconds);
        Arrays.sort(latencies);
        System.out.printf("PATCH throughput: %d requests in %d s = %.0f PATCH/s with %d clients;"
                        + " latency p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                latencies.length, seconds, latencies.length / (double) seconds, CLIENTS,
                latencies[latencies.length / 2] / 1e6, latencies[(int) (latencies.length * 0.99)] / 1e6,
                latencies[latencies.length - 1] / 1e6);
        assertThat(latencies).isNotEmpty();
    }

    /** Runs CLIENTS threads for {@code seconds}; returns the latency of each successful request. */
    private long[] run(List<String> zones, long seconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        AtomicInteger issued = new AtomicInteger();
        List<Future<long[]>> futures = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            futures.add(pool.submit(() -> {
                ApiClient api = api();
                long[] mine = new long[MAX_REQUESTS];
                int n = 0;
                for (int i = 0; System.nanoTime() < deadline && issued.incrementAndGet() <= MAX_REQUESTS; i++) {
                    String zone = zones.get((client + i * CLIENTS) % zones.size());
                    String value = (i / zones.size()) % 2 == 0 ? "off" : "on";
                    long start = System.nanoTime();
                    ApiClient.Response response = api.patch("/zones/" + zone + "/settings/websockets", "{\"value\":\"" + value + "\"}");
                    if (response.status() == 200) {
                        mine[n++] = System.nanoTime() - start;
                    }
                }
                return Arrays.copyOf(mine, n);
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<long[]> future : futures) {
            for (long l : future.get(seconds + 60, TimeUnit.SECONDS)) {
                all.add(l);
            }
        }
        pool.shutdownNow();
        return all.stream().mapToLong(Long::longValue).toArray();
    }
}
