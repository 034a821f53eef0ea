package zoneplane.controlplane.distribution;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import zoneplane.controlplane.support.TestDatabase;
import zoneplane.dataplane.subscriber.ConfigSubscriber;
import zoneplane.dataplane.subscriber.SubscriberOptions;
import zoneplane.dataplane.subscriber.ViewCache;
import zoneplane.dataplane.view.LiveZoneView;
import zoneplane.dataplane.view.ZoneView;
import zoneplane.model.Plan;

/**
 * Propagation benchmark (SPEC §8): 100k zones on embedded PostgreSQL, a real control plane, three
 * real subscribers; setting changes committed at a steady rate; prints p50/p90/p99/max of
 * commit → applied on all three subscribers, then the retained heap of a 100k-zone ZoneView.
 * Not a test: run bench/propagation/run.sh. Arguments: [zones] [changes/s] [seconds] [cache-write-interval-s].
 */
public final class PropagationBenchmark {

    public static void main(String[] args) throws Exception {
        int zones = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        SubscriberOptions options = SubscriberOptions.defaults();
        if (args.length > 3) {
            options = options.withPersistInterval(java.time.Duration.ofSeconds(Integer.parseInt(args[3])));
        }
        System.out.printf("subscribers write their disk cache at most every %s%n", options.persistInterval());
        Path work = Files.createTempDirectory("zp-bench-");

        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            TestDatabase.Database db = new TestDatabase.Database(pg.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
            TestChangeWriter.migrate(db);
            TestChangeWriter.ensureAccount(db);
            long loadStart = System.nanoTime();
            List<String> ids = load(db, zones);
            System.out.printf("loaded %d zones in %d ms%n", zones, millisSince(loadStart));

            try (ControlPlaneInstance controlPlane = ControlPlaneInstance.start(db, 0,
                    Map.of("logging.level.root", "WARN", "zoneplane.distribution.heartbeat-interval", "5s"))) {
                Map<Long, Long> committedAt = new ConcurrentHashMap<>();
                Map<Long, long[]> appliedAt = new ConcurrentHashMap<>();
                List<ConfigSubscriber> subscribers = new ArrayList<>();
                for (int n = 0; n < 3; n++) {
                    int node = n;
                    ConfigSubscriber s = new ConfigSubscriber(URI.create(controlPlane.baseUrl()), ControlPlaneInstance.NODE_TOKEN,
                            "bench-" + n, work.resolve("node-" + n), new LiveZoneView(), new SimpleMeterRegistry(),
                            options.withAddress("127.0.0.1:800" + n));
                    s.addListener((view, changes) -> {
                        long now = System.nanoTime();
                        changes.forEach(c -> appliedAt.computeIfAbsent(c.revision(), r -> new long[3])[node] = now);
                    });
                    long t = System.nanoTime();
                    s.start();
                    subscribers.add(s);
                    waitUntil(() -> s.appliedRevision() > 0 || zones == 0, 120);
                    System.out.printf("subscriber %d took its snapshot of %d zones in %d ms%n", n, zones, millisSince(t));
                }

                try (TestChangeWriter writer = new TestChangeWriter(db)) {
                    Random random = new Random(1);
                    long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
                    int total = rate * seconds;
                    int warmup = Math.min(total / 5, rate * 5);
                    long next = System.nanoTime();
                    for (int i = 0; i < total + warmup; i++) {
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            java.util.concurrent.locks.LockSupport.parkNanos(wait); // steady rate without burning a core
                        }
                        next += intervalNanos;
                        int zone = random.nextInt(ids.size());
                        Plan plan = Plan.values()[zone % 4];
                        Subscribers.SettingChange change = Subscribers.randomChange(random, plan);
                        long revision = writer.setSetting(ids.get(zone), change.setting(), change.value());
                        if (i >= warmup) {
                            committedAt.put(revision, System.nanoTime());
                        }
                    }
                    long last = writer.latestRevision();
                    waitUntil(() -> subscribers.stream().allMatch(s -> s.appliedRevision() >= last), 60);
                }
                long[] latencies = committedAt.entrySet().stream().mapToLong(e -> {
                    long[] at = appliedAt.get(e.getKey());
                    return Arrays.stream(at).max().orElseThrow() - e.getValue();
                }).sorted().toArray();
                System.out.printf("propagation commit -> applied on all 3 subscribers, %d changes at %d/s over %d zones:%n",
                        latencies.length, rate, zones);
                System.out.printf("  p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                        pct(latencies, 50), pct(latencies, 90), pct(latencies, 99), latencies[latencies.length - 1] / 1e6);
                subscribers.forEach(ConfigSubscriber::close);
            }
        }
        heapPerZone(work.resolve("node-0"), zones);
    }

    /** Retained heap of the node's ZoneView as loaded from its disk cache, per zone. */
    private static void heapPerZone(Path cacheDir, int zones) {
        long before = usedAfterGc();
        ZoneView view = new ViewCache(cacheDir).load().orElseThrow();
        long after = usedAfterGc();
        System.out.printf("ZoneView of %d zones: %d bytes retained, %.0f bytes/zone%n", view.size(), after - before,
                (after - before) / (double) Math.max(1, view.size()));
        if (view.size() != zones) {
            throw new IllegalStateException("view has " + view.size() + " zones");
        }
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 5; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static List<String> load(TestDatabase.Database db, int zones) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("""
                    insert into zones (id, account_id, name, plan, origin)
                    select md5(i::text), '%s', 'z' || i || '.bench.example',
                           (array['free','pro','business','enterprise'])[i %% 4 + 1], 'http://10.0.' || (i %% 250) || '.1:8080'
                    from generate_series(0, %d) i""".formatted(TestChangeWriter.ACCOUNT_ID, zones - 1));
            // The bulk load counts as revision 1 (a snapshot serves it; no change rows are needed).
            st.execute("update config_revision set revision = 1");
            List<String> ids = new ArrayList<>(zones);
            for (int i = 0; i < zones; i++) {
                ids.add(md5(Integer.toString(i)));
            }
            return ids;
        }
    }

    private static String md5(String text) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static double pct(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, index)] / 1e6;
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + seconds + " s");
            }
            Thread.sleep(5); // a benchmark driver, not a test
        }
    }

}
