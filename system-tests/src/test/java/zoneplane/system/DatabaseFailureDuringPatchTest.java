package zoneplane.system;

import zoneplane.testing.ApiClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 5 (issue 8): PostgreSQL stops while many bulk PATCHes are in flight (one sequential writer
 * per zone, twelve zones, through both control planes) and starts again. Every call ends within a
 * bound with either success or an error envelope; afterwards, per zone, the stored pair is that of the
 * last successful PATCH or of a later failed one whose commit raced the failure (never a mix of two
 * PATCHes), and zone_settings, the newest change_log row and the audit log agree, revision by revision.
 * Both nodes serve every committed revision.
 */
class DatabaseFailureDuringPatchTest {

    @RegisterExtension
    static final SystemExtension system = SystemExtension.shared();

    private static final int ZONES = 12;
    private static final Duration CALL_BOUND = Duration.ofSeconds(20);

    @Test
    void everyPatchSucceedsOrFailsInTheEnvelopeAndTheDatabaseHoldsWholeChangesOnly() throws Exception {
        SystemHarness sys = system.system();
        ApiClient setup = sys.api();
        List<String> zoneIds = new ArrayList<>();
        for (int z = 0; z < ZONES; z++) {
            zoneIds.add(setup.createZone("z" + z + ".dbfail.example.com", "enterprise", sys.origin().url()));
        }

        AtomicBoolean databaseBack = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        Map<String, List<PatchAttempt>> attempts = new HashMap<>();
        ExecutorService writers = Executors.newFixedThreadPool(ZONES);
        List<Future<?>> running = new ArrayList<>();
        for (int z = 0; z < ZONES; z++) {
            String zoneId = zoneIds.get(z);
            List<PatchAttempt> log = Collections.synchronizedList(new ArrayList<>());
            attempts.put(zoneId, log);
            ApiClient api = sys.controlPlane(z % 2).api().withTimeout(Duration.ofSeconds(40));
            running.add(writers.submit(() -> write(api, zoneId, log, databaseBack, stop)));
        }
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> attempts.values().stream()
                    .allMatch(l -> l.stream().anyMatch(PatchAttempt::success)));
            sys.postgres().stop();
            // Down long enough for the writers' in-flight and next calls to hit the dead database.
            await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(() -> true);
            sys.postgres().start();
            databaseBack.set(true);
            // Each writer stops after its first success since the restart (or at its attempt cap).
            await().atMost(Duration.ofSeconds(60)).until(() -> running.stream().allMatch(Future::isDone));
        } finally {
            stop.set(true);
            for (Future<?> f : running) {
                f.get(60, TimeUnit.SECONDS);
            }
            writers.shutdownNow();
        }

        long succeeded = attempts.values().stream().flatMap(List::stream).filter(PatchAttempt::success).count();
        long failed = attempts.values().stream().flatMap(List::stream).filter(a -> !a.success()).count();
        long slowest = attempts.values().stream().flatMap(List::stream).mapToLong(PatchAttempt::millis).max().orElse(0);
        Map<Integer, Long> failureStatuses = new TreeMap<>();
        attempts.values().stream().flatMap(List::stream).filter(a -> !a.success())
                .forEach(a -> failureStatuses.merge(a.status(), 1L, Long::sum));
        System.out.printf("scenario 5: %d PATCHes succeeded, %d failed while PostgreSQL was down (by status %s), "
                + "slowest answer %d ms; a refusal: %s%n", succeeded, failed, failureStatuses, slowest,
                attempts.values().stream().flatMap(List::stream).filter(a -> !a.success()).findFirst()
                        .map(PatchAttempt::detail).orElse("-"));
        assertThat(failed).as("some PATCHes met the stopped database").isPositive();

        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, List<PatchAttempt>> entry : attempts.entrySet()) {
            for (PatchAttempt a : entry.getValue()) {
                if (a.status() < 0) {
                    problems.add(entry.getKey() + " attempt " + a.index() + " got no answer: " + a.detail());
                } else if (!a.success() && (!a.envelope() || a.status() < 500)) {
                    problems.add(entry.getKey() + " attempt " + a.index() + " failed outside the error envelope or "
                            + "not as a server error: " + a.status() + " " + a.detail());
                } else if (!a.success() && leaksInternals(a.detail())) {
                    problems.add(entry.getKey() + " attempt " + a.index() + " leaks internals: " + a.detail());
                } else if (a.millis() > CALL_BOUND.toMillis()) {
                    problems.add(entry.getKey() + " attempt " + a.index() + " took " + a.millis() + " ms");
                }
            }
        }
        long newest = 0;
        try (Connection db = sys.postgres().connect()) {
            for (String zoneId : zoneIds) {
                newest = Math.max(newest, checkZone(db, zoneId, attempts.get(zoneId), problems));
            }
        }
        assertThat(problems).as("broken promises").isEmpty();

        long committed = newest;
        for (EdgeNodeProcess node : sys.nodes()) {
            await().atMost(Duration.ofSeconds(40)).untilAsserted(() ->
                    assertThat(node.servedRevision()).as(node.nodeId()).isGreaterThanOrEqualTo(committed));
        }
        for (int z = 0; z < ZONES; z++) {
            String zoneId = zoneIds.get(z);
            String stored = storedPseudo(zoneId);
            for (EdgeNodeProcess node : sys.nodes()) {
                Visitor.Answer answer = new Visitor().get(node.visitorBase(), "z" + z + ".dbfail.example.com", "/after");
                assertThat(pseudoShown(answer)).as(node.nodeId() + " zone " + z).isEqualTo(stored);
            }
        }
    }

    /** SPEC §3.1: no stack trace, SQL, driver or class name in an error answer. */
    private static boolean leaksInternals(String body) {
        String lower = body.toLowerCase(java.util.Locale.ROOT);
        for (String tell : List.of("exception", "jdbc", "postgres", "sql", "hikari", "at zoneplane.", "at org.")) {
            if (lower.contains(tell)) {
                return true;
            }
        }
        return false;
    }

    /** One zone's writer: sequential bulk PATCHes, each with a unique pair, until stopped. */
    private static void write(ApiClient api, String zoneId, List<PatchAttempt> log, AtomicBoolean databaseBack,
            AtomicBoolean stop) {
        for (int index = 1; index <= PatchAttempt.MAX_PER_ZONE && !stop.get(); index++) {
            boolean afterRestart = databaseBack.get();
            long started = System.nanoTime();
            PatchAttempt attempt;
            try {
                ApiClient.Response r = api.patchSettings(zoneId, PatchAttempt.values(index));
                long millis = (System.nanoTime() - started) / 1_000_000;
                boolean success = r.status() == 200 && r.success();
                attempt = new PatchAttempt(index, r.status(), success || r.isErrorEnvelope(), success,
                        success ? r.revision() : -1, millis, r.body());
            } catch (Exception e) {
                attempt = new PatchAttempt(index, -1, false, false, -1, (System.nanoTime() - started) / 1_000_000,
                        e.toString());
            }
            log.add(attempt);
            if (attempt.success() && afterRestart) {
                return;
            }
        }
    }

    /** Checks one zone's rows against its attempts; returns the zone's newest change_log revision. */
    private static long checkZone(Connection db, String zoneId, List<PatchAttempt> attempts, List<String> problems)
            throws Exception {
        Map<String, String> stored = query(db, "select setting_id, value #>> '{}' from zone_settings where zone_id = ?"
                + " and setting_id in ('max_upload', 'pseudo_ipv4')", zoneId);
        int storedIndex = attemptOf(stored.get("max_upload"), stored.get("pseudo_ipv4"), attempts);
        int lastSuccess = attempts.stream().filter(PatchAttempt::success).mapToInt(PatchAttempt::index).max().orElse(0);
        if (storedIndex < 0) {
            problems.add(zoneId + ": stored pair " + stored + " is no attempt's pair (a mix of two PATCHes?)");
        } else if (storedIndex < lastSuccess) {
            problems.add(zoneId + ": stored pair is attempt " + storedIndex + "'s but attempt " + lastSuccess
                    + " succeeded later: a successful change was lost");
        }
        Map<String, String> newest = query(db, "select 'max_upload', payload #>> '{zone,settings,max_upload}' from change_log"
                + " where zone_id = ? and revision = (select max(revision) from change_log where zone_id = ?)"
                + " union all select 'pseudo_ipv4', payload #>> '{zone,settings,pseudo_ipv4}' from change_log"
                + " where zone_id = ? and revision = (select max(revision) from change_log where zone_id = ?)",
                zoneId, zoneId, zoneId, zoneId);
        if (!newest.equals(stored)) {
            problems.add(zoneId + ": zone_settings " + stored + " but the newest change_log row says " + newest);
        }
        TreeSet<Long> changeRevisions = new TreeSet<>(revisions(db, "select revision from change_log where zone_id = ?"
                + " and kind = 'zone_upserted' and revision > (select min(revision) from change_log where zone_id = ?)",
                zoneId, zoneId));
        TreeSet<Long> auditRevisions = new TreeSet<>(revisions(db, "select distinct revision from audit_log where zone_id = ?"
                + " and setting_id in ('max_upload', 'pseudo_ipv4')", zoneId));
        if (!changeRevisions.equals(auditRevisions)) {
            problems.add(zoneId + ": change_log revisions " + changeRevisions + " but audited revisions " + auditRevisions);
        }
        for (PatchAttempt a : attempts) {
            if (a.success() && !changeRevisions.contains(a.revision())) {
                problems.add(zoneId + ": attempt " + a.index() + " succeeded with revision " + a.revision()
                        + " which has no change_log row");
            }
        }
        Map<String, String> lastAudit = query(db, "select setting_id, new_value #>> '{}' from audit_log where id in ("
                + "select max(id) from audit_log where zone_id = ? and setting_id in ('max_upload', 'pseudo_ipv4')"
                + " group by setting_id)", zoneId);
        if (!lastAudit.equals(stored)) {
            problems.add(zoneId + ": zone_settings " + stored + " but the audit log's last values are " + lastAudit);
        }
        return changeRevisions.isEmpty() ? 0 : changeRevisions.last();
    }

    private static int attemptOf(String maxUpload, String pseudo, List<PatchAttempt> attempts) {
        for (PatchAttempt a : attempts) {
            if (Integer.toString(PatchAttempt.maxUpload(a.index())).equals(maxUpload)
                    && PatchAttempt.pseudo(a.index()).equals(pseudo)) {
                return a.index();
            }
        }
        return -1;
    }

    private static Map<String, String> query(Connection db, String sql, String... params) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (PreparedStatement st = db.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setString(i + 1, params[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    private static List<Long> revisions(Connection db, String sql, String... params) throws Exception {
        List<Long> out = new ArrayList<>();
        try (PreparedStatement st = db.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setString(i + 1, params[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
        }
        return out;
    }

    private static String storedPseudo(String zoneId) throws Exception {
        try (Connection db = system.system().postgres().connect()) {
            return query(db, "select setting_id, value #>> '{}' from zone_settings where zone_id = ?"
                    + " and setting_id = 'pseudo_ipv4'", zoneId).getOrDefault("pseudo_ipv4", "off");
        }
    }

    /** pseudo_ipv4 as an IPv6 visitor's request reached the origin. */
    private static String pseudoShown(Visitor.Answer answer) {
        if (answer.originHas("cf-connecting-ipv6")) {
            return "overwrite_header";
        }
        return answer.originHas("cf-pseudo-ipv4") ? "add_header" : "off";
    }
}
