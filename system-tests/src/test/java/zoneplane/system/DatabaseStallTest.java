package zoneplane.system;

import zoneplane.testing.ApiClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 21 items 2, 3 and 6: PostgreSQL hangs (every process SIGSTOPped: connections stay open,
 * nothing answers) under both control planes while seven writers PATCH (five of them the same zone,
 * through both replicas), readers GET with the operator token and with an API token, an unknown
 * token is looked up, and readiness and liveness are probed. While it hangs: every API answer is a 503
 * in the envelope (code 9503) with Retry-After within 3 s of the stall (none waits in a queue behind
 * the others), readiness answers within 1 s and is 503, liveness stays 200. The bounds get the
 * slowest liveness answer of the same time as slack (twice for the API): what a busy machine adds
 * to an answer that needs no database. After SIGCONT everything
 * serves again, every acknowledged write is in the change log with the values it acknowledged, and
 * each replica logged exactly one "Database down" and one "Database up" line (no ERROR).
 */
class DatabaseStallTest {

    @RegisterExtension
    static final SystemExtension system = SystemExtension.shared();

    private static final Duration STALL = Duration.ofSeconds(8);
    private static final long API_BOUND_MS = 3_000;
    private static final long READINESS_BOUND_MS = 1_000;
    /** Readiness must say 503 from this far into the stall on (the probe's bounds, with slack). */
    private static final long READINESS_FLIP_MS = 4_000;
    private static final int SAME_ZONE_WRITERS = 5;
    private static final List<String> FLAGS = List.of("websockets", "ip_geolocation", "opportunistic_onion", "grpc");
    private static final String UNKNOWN_TOKEN = "Zz9-never-issued-token-0123456789abcdefABCDEF";

    /** One call: what, when (System.nanoTime), the answer. */
    record Call(String kind, long start, long end, int status, boolean envelope, int code, boolean retryAfter,
            long revision, String zoneId, Map<String, String> values, String detail) {

        long millis() {
            return (end - start) / 1_000_000;
        }

        /** How long it waited after the stall began (0 if it ended before). */
        long millisIntoStall(long stallStart) {
            return Math.max(0, (end - Math.max(start, stallStart)) / 1_000_000);
        }

        boolean outageAnswer() {
            return status == 503 && envelope && code == 9503 && retryAfter;
        }

        /** The answer with the database up: 200, or 401 for the token that was never issued. */
        boolean normalAnswer() {
            return status == (kind.equals("get-unknown-token") ? 401 : 200) && envelope;
        }
    }

    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean resumed = new AtomicBoolean();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final HttpClient probes = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void aHungDatabaseIsAFast503ThenEverythingRecoversWithNoAcknowledgedWriteLost() throws Exception {
        SystemHarness sys = system.system();
        ApiClient operator = sys.api();
        String sameZone = operator.createZone("shared.stall.example.com", "enterprise", sys.origin().url());
        List<String> ownZones = List.of(operator.createZone("b.stall.example.com", "enterprise", sys.origin().url()),
                operator.createZone("c.stall.example.com", "enterprise", sys.origin().url()));
        String accountId = ApiClient.require(operator.get("/zones/" + sameZone)).result().get("account").get("id").asString();
        String apiToken = ApiClient.require(operator.post("/accounts/" + accountId + "/tokens",
                "{\"name\":\"stall-reader\",\"permissions\":[\"zone_settings:read\"]}")).result().get("value").asString();

        ExecutorService pool = Executors.newFixedThreadPool(SAME_ZONE_WRITERS + ownZones.size() + 2);
        List<Future<?>> writers = new ArrayList<>();
        List<Future<?>> watchers = new ArrayList<>();
        for (int w = 0; w < SAME_ZONE_WRITERS; w++) {
            ApiClient api = sys.controlPlane(w % 2).api().withTimeout(Duration.ofSeconds(30));
            int writer = w;
            writers.add(pool.submit(() -> write("patch-same-zone", api, sameZone, writer)));
        }
        for (int z = 0; z < ownZones.size(); z++) {
            ApiClient api = sys.controlPlane(z % 2).api().withTimeout(Duration.ofSeconds(30));
            String zoneId = ownZones.get(z);
            int writer = SAME_ZONE_WRITERS + z;
            writers.add(pool.submit(() -> write("patch", api, zoneId, writer)));
        }
        ApiClient reader = sys.controlPlane(1).api().withTimeout(Duration.ofSeconds(30));
        ApiClient tokenReader = new ApiClient(sys.controlPlane(0).baseUrl() + "/client/v4").withToken(apiToken).withTimeout(Duration.ofSeconds(30));
        ApiClient stranger = new ApiClient(sys.controlPlane(1).baseUrl() + "/client/v4").withToken(UNKNOWN_TOKEN).withTimeout(Duration.ofSeconds(30));
        watchers.add(pool.submit(() -> read(reader, tokenReader, stranger, sameZone)));
        watchers.add(pool.submit(() -> probe(List.of(sys.controlPlane(0), sys.controlPlane(1)))));

        Map<ControlPlaneProcess, Long> logStart = new LinkedHashMap<>();
        long stallStart;
        double downGauge;
        long frozenAt;
        long resumeAt;
        int frozen;
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> calls().stream()
                    .filter(c -> c.kind().startsWith("patch") && c.status() == 200).count() >= 2L * writers.size());
            for (int i = 0; i < 2; i++) {
                logStart.put(sys.controlPlane(i), Files.size(sys.controlPlane(i).process().log()));
            }
            stallStart = System.nanoTime();
            try (PostgresStall stall = PostgresStall.freeze(sys.postgres())) {
                frozenAt = System.nanoTime();
                frozen = stall.processes();
                within(Duration.ofSeconds(5), () -> !sys.controlPlane(0).ready(), "readiness 503 during the stall");
                downGauge = sys.controlPlane(0).gauge("zoneplane_database_up");
                long stallLeft = STALL.toNanos() - (System.nanoTime() - stallStart);
                await().pollDelay(Duration.ofNanos(Math.max(0, stallLeft))).atMost(STALL.plusSeconds(1)).until(() -> true);
                resumeAt = System.nanoTime();
            }
            resumed.set(true);
            // Each writer ends with its first success after SIGCONT; the readers and probes see it too.
            within(Duration.ofSeconds(30), () -> writers.stream().allMatch(Future::isDone), "every writer succeeded again after SIGCONT");
            within(Duration.ofSeconds(10), () -> sys.controlPlane(0).ready() && sys.controlPlane(1).ready(), "both replicas ready");
            long resumedAt = resumeAt;
            within(Duration.ofSeconds(10), () -> calls().stream().filter(c -> c.start() > resumedAt && c.normalAnswer())
                            .map(Call::kind).filter(k -> k.startsWith("get")).distinct().count() == 3, "every reader served");
        } finally {
            stop.set(true);
            for (Future<?> f : writers) {
                f.get(60, TimeUnit.SECONDS);
            }
            for (Future<?> f : watchers) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdownNow();
        }

        List<Call> all = calls();
        List<String> problems = new ArrayList<>(waitProblems);
        long stallEnd = resumeAt;
        Predicate<Call> api = c -> c.kind().startsWith("patch") || c.kind().startsWith("get");
        // Calls wholly within the stall (from when every process was stopped) must be refused; every
        // call's wait is measured from the first SIGSTOP.
        long allFrozen = frozenAt;
        Predicate<Call> inStall = c -> c.start() >= allFrozen && c.end() <= stallEnd;
        Predicate<Call> overlapsStall = c -> c.end() > stallStart && c.start() < stallEnd;
        // What the machine alone adds to an answer (2 cores shared by many processes): the slowest
        // liveness answer meanwhile, which needs no database. The bounds are the plus that,
        // twice for the API: a PATCH waits for two threads (its own and the setting writer's).
        long machineMs = all.stream().filter(c -> c.kind().startsWith("liveness") && overlapsStall.test(c))
                .mapToLong(Call::millis).max().orElse(0);
        long apiBound = API_BOUND_MS + 2 * machineMs;
        long readinessBound = READINESS_BOUND_MS + machineMs;
        for (Call c : all) {
            if (c.status() < 0) {
                problems.add(c.kind() + " got no answer: " + c.detail());
            } else if (api.test(c) && overlapsStall.test(c) && c.millisIntoStall(stallStart) > apiBound) {
                problems.add(c.kind() + " answered " + c.millisIntoStall(stallStart) + " ms into the stall: " + c.status());
            } else if (api.test(c) && inStall.test(c) && !c.outageAnswer()) {
                problems.add(c.kind() + " during the stall: not a 503/9503 envelope with Retry-After: " + c.status()
                        + " " + c.detail());
            } else if (api.test(c) && !c.normalAnswer() && !c.outageAnswer()) {
                problems.add(c.kind() + " failed other than with the outage answer: " + c.status() + " " + c.detail());
            } else if (c.kind().startsWith("readiness") && c.millis() > readinessBound) {
                problems.add(c.kind() + " took " + c.millis() + " ms");
            } else if (c.kind().startsWith("readiness") && c.start() >= stallStart + TimeUnit.MILLISECONDS.toNanos(READINESS_FLIP_MS + machineMs)
                    && c.end() <= stallEnd && c.status() != 503) {
                problems.add(c.kind() + " answered " + c.status() + " " + (c.start() - stallStart) / 1_000_000
                        + " ms into the stall");
            } else if (c.kind().startsWith("liveness") && c.status() != 200) {
                problems.add(c.kind() + " answered " + c.status() + " in " + c.millis() + " ms");
            }
        }
        for (String kind : List.of("patch-same-zone", "patch", "get-operator", "get-api-token", "get-unknown-token")) {
            if (all.stream().noneMatch(c -> c.kind().equals(kind) && inStall.test(c))) {
                problems.add("no " + kind + " call fell within the stall");
            }
        }

        int acknowledged = 0;
        try (Connection db = sys.postgres().connect()) {
            for (Call c : all) {
                if (c.kind().startsWith("patch") && c.status() == 200 && c.revision() > 0) {
                    acknowledged++;
                    Map<String, String> stored = changeLogValues(db, c.zoneId(), c.revision());
                    if (!stored.equals(c.values())) {
                        problems.add("acknowledged revision " + c.revision() + " of " + c.zoneId() + " sent " + c.values()
                                + " but the change log holds " + stored);
                    }
                }
            }
        }

        // The change stream survived: both nodes serve the newest acknowledged revision.
        long newest = all.stream().filter(c -> c.kind().startsWith("patch") && c.status() == 200)
                .mapToLong(Call::revision).max().orElse(0);
        int waitedBefore = waitProblems.size();
        for (EdgeNodeProcess node : sys.nodes()) {
            within(Duration.ofSeconds(30), () -> node.servedRevision() >= newest,
                    node.nodeId() + " serves revision " + newest + " after the stall");
        }
        problems.addAll(waitProblems.subList(waitedBefore, waitProblems.size()));
        double upGauge = sys.controlPlane(0).gauge("zoneplane_database_up");
        if (downGauge != 0 || upGauge != 1) {
            problems.add("zoneplane_database_up was " + downGauge + " during the stall and " + upGauge + " after it");
        }
        for (Map.Entry<ControlPlaneProcess, Long> entry : logStart.entrySet()) {
            List<String> lines = linesSince(entry.getKey().process().log(), entry.getValue());
            long down = lines.stream().filter(l -> l.contains("Database down")).count();
            long up = lines.stream().filter(l -> l.contains("Database up")).count();
            List<String> errors = lines.stream().filter(l -> l.contains(" ERROR ")).toList();
            if (down != 1 || up != 1) {
                problems.add(entry.getKey().process().name() + " logged " + down + " \"Database down\" and " + up
                        + " \"Database up\" lines");
            }
            if (!errors.isEmpty()) {
                problems.add(entry.getKey().process().name() + " logged ERROR lines: " + errors.subList(0, Math.min(3, errors.size())));
            }
        }

        System.out.printf("database stall: %d PostgreSQL processes stopped for %d ms; %d calls, %d acknowledged writes;"
                + " machine slack (slowest liveness) %d ms, so bounds API %d ms, readiness %d ms%n",
                frozen, (stallEnd - stallStart) / 1_000_000, all.size(), acknowledged, machineMs, apiBound, readinessBound);
        for (String kind : List.of("patch-same-zone", "patch", "get-operator", "get-api-token", "get-unknown-token",
                "readiness", "liveness")) {
            List<Call> ofKind = all.stream().filter(c -> c.kind().startsWith(kind) && overlapsStall.test(c)).toList();
            System.out.printf("  %-18s %4d calls during the stall, slowest %5d ms (%d ms into the stall), statuses %s%n",
                    kind, ofKind.size(), ofKind.stream().mapToLong(Call::millis).max().orElse(0),
                    ofKind.stream().mapToLong(c -> c.millisIntoStall(stallStart)).max().orElse(0),
                    ofKind.stream().collect(Collectors.groupingBy(Call::status, TreeMap::new, Collectors.counting())));
        }
        for (String kind : List.of("patch-same-zone", "patch", "get-operator", "get-api-token", "get-unknown-token")) {
            System.out.printf("  %-18s after SIGCONT: statuses %s%n", kind, all.stream()
                    .filter(c -> c.kind().equals(kind) && c.start() >= stallEnd)
                    .collect(Collectors.groupingBy(Call::status, TreeMap::new, Collectors.counting())));
        }
        all.stream().filter(c -> c.kind().startsWith("readiness") && c.start() >= stallStart && c.status() == 503).findFirst()
                .ifPresent(c -> System.out.printf("  readiness 503 from %d ms into the stall%n", (c.end() - stallStart) / 1_000_000));
        all.stream().filter(c -> c.kind().startsWith("patch") && c.start() >= stallEnd && c.status() == 200).findFirst()
                .ifPresent(c -> System.out.printf("  first PATCH success %d ms after SIGCONT%n", (c.end() - stallEnd) / 1_000_000));
        assertThat(problems).as("broken promises").isEmpty();
        assertThat(acknowledged).as("acknowledged writes checked").isPositive();
    }

    private final List<String> waitProblems = new ArrayList<>();

    /** Waits (bounded) for {@code condition}; a timeout is one of the test's problems, reported with the others. */
    private boolean within(Duration bound, Callable<Boolean> condition, String what) {
        try {
            await().atMost(bound).until(condition);
            return true;
        } catch (ConditionTimeoutException e) {
            waitProblems.add("not within " + bound + ": " + what);
            return false;
        }
    }

    private List<Call> calls() {
        synchronized (calls) {
            return new ArrayList<>(calls);
        }
    }

    /** PATCHes one zone in a loop; after SIGCONT it ends with its first success (or when stopped). */
    private void write(String kind, ApiClient api, String zoneId, int writer) {
        for (int attempt = 0; !stop.get(); attempt++) {
            boolean afterResume = resumed.get();
            Map<String, String> values = values(writer * 1000 + attempt);
            long start = System.nanoTime();
            Call call;
            try {
                call = answer(kind, start, zoneId, values, api.patchSettings(zoneId, values));
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    return; // ApiClient keeps the interrupt flag set
                }
                call = new Call(kind, start, System.nanoTime(), -1, false, 0, false, -1, zoneId, values, e.toString());
            }
            calls.add(call);
            if (call.status() == 200 && afterResume) {
                return;
            }
            if (call.status() != 200) {
                pause(50); // a client backing off, so refusals do not spin the CPUs
            }
        }
    }

    /** GETs with the operator token, with an API token, and an unknown token's lookup, until stopped. */
    private void read(ApiClient operator, ApiClient tokenReader, ApiClient stranger, String zoneId) {
        while (!stop.get()) {
            try {
                timed("get-operator", zoneId, () -> operator.get("/zones/" + zoneId + "/settings"));
                timed("get-api-token", zoneId, () -> tokenReader.get("/zones/" + zoneId + "/settings/websockets"));
                timed("get-unknown-token", zoneId, () -> stranger.get("/user/tokens/verify"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            pause(100);
        }
    }

    private interface ApiCall {
        ApiClient.Response call();
    }

    private void timed(String kind, String zoneId, ApiCall request) throws InterruptedException {
        long start = System.nanoTime();
        try {
            calls.add(answer(kind, start, zoneId, Map.of(), request.call()));
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("interrupted during " + kind); // ApiClient keeps the flag set
            }
            calls.add(new Call(kind, start, System.nanoTime(), -1, false, 0, false, -1, zoneId, Map.of(), e.toString()));
        }
    }

    private static Call answer(String kind, long start, String zoneId, Map<String, String> values, ApiClient.Response r) {
        long end = System.nanoTime();
        int code = 0;
        if (r.isErrorEnvelope()) {
            code = r.json().get("errors").get(0).get("code").asInt();
        }
        long revision = r.header("Zoneplane-Revision").map(Long::parseLong).orElse(-1L);
        return new Call(kind, start, end, r.status(), r.success() || r.isErrorEnvelope(), code,
                r.header("Retry-After").isPresent(), revision, zoneId, values, r.body());
    }

    /** Readiness and liveness of each replica, every 100 ms, until stopped. */
    private void probe(List<ControlPlaneProcess> replicas) {
        while (!stop.get()) {
            for (ControlPlaneProcess cp : replicas) {
                for (String probe : List.of("readiness", "liveness")) {
                    long start = System.nanoTime();
                    int status;
                    String detail;
                    try {
                        HttpResponse<String> r = probes.send(HttpRequest.newBuilder(URI.create(cp.baseUrl()
                                + "/actuator/health/" + probe)).timeout(Duration.ofSeconds(10)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        status = r.statusCode();
                        detail = r.body();
                    } catch (IOException e) {
                        status = -1;
                        detail = e.toString();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    calls.add(new Call(probe + " " + cp.process().name(), start, System.nanoTime(), status, true, 0,
                            false, -1, null, Map.of(), detail));
                }
            }
            pause(100);
        }
    }

    /** The attempt's values: four on/off flags and pseudo_ipv4, from the bits of {@code n}. */
    private static Map<String, String> values(int n) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int bit = 0; bit < FLAGS.size(); bit++) {
            values.put(FLAGS.get(bit), (n >> bit & 1) == 0 ? "on" : "off");
        }
        values.put("pseudo_ipv4", List.of("off", "add_header", "overwrite_header").get((n >> FLAGS.size()) % 3));
        return values;
    }

    private static Map<String, String> changeLogValues(Connection db, String zoneId, long revision) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        try (PreparedStatement st = db.prepareStatement("select payload #>> array['zone', 'settings', ?] from change_log"
                + " where zone_id = ? and revision = ?")) {
            for (String setting : values(0).keySet()) {
                st.setString(1, setting);
                st.setString(2, zoneId);
                st.setLong(3, revision);
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next()) {
                        out.put(setting, rs.getString(1));
                    }
                }
            }
        }
        return out;
    }

    private static List<String> linesSince(Path log, long offset) throws IOException {
        byte[] bytes = Files.readAllBytes(log);
        int from = (int) Math.min(offset, bytes.length);
        return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8).lines().toList();
    }

    private static void pause(long millis) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
    }
}
