package zoneplane.system;

import zoneplane.testing.ApiClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Scenario 1 (issue 8): steady traffic through both nodes while settings flip continuously, each flip
 * one bulk PATCH of three settings (one revision), sent alternately to both control-plane replicas.
 * Every response must show a whole revision (never one of the pair without the other), each sequential
 * visitor must never see a node go back to an older state, nothing but 200 comes back, and in the end
 * every node serves the last revision and the propagation endpoint says so.
 */
class SettingFlipsUnderTrafficTest {

    @RegisterExtension
    static final SystemExtension system = SystemExtension.shared();

    private static final String ZONE = "flip.example.com";
    private static final int VISITORS_PER_NODE = 3;

    @Test
    void everyResponseShowsAWholeRevisionNeverAnOlderOneAndNodesEndOnTheLastRevision() throws Exception {
        SystemHarness sys = system.system();
        ApiClient api = sys.controlPlane(0).api();
        String zoneId = api.createZone(ZONE, "enterprise", sys.origin().url());
        long first = ApiClient.require(api.patchSettings(zoneId, FlipSequence.settings(0))).revision();
        for (EdgeNodeProcess node : sys.nodes()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> node.servedRevision() >= first);
        }

        Duration flipping = Systems.heavy() ? Duration.ofSeconds(60) : Duration.ofSeconds(15);
        AtomicInteger started = new AtomicInteger(0); // index of the newest PATCH sent so far
        AtomicBoolean stop = new AtomicBoolean();
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger answered = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(VISITORS_PER_NODE * 2);
        List<Future<?>> visitors = new ArrayList<>();
        for (EdgeNodeProcess node : sys.nodes()) {
            for (int v = 0; v < VISITORS_PER_NODE; v++) {
                String who = node.nodeId() + "/visitor-" + v;
                visitors.add(pool.submit(() -> visit(node, who, started, stop, problems, answered)));
            }
        }

        long lastRevision = first;
        int flips = 0;
        long end = System.nanoTime() + flipping.toNanos();
        try {
            for (int k = 1; System.nanoTime() < end; k++) {
                started.set(k);
                ApiClient.Response r = sys.controlPlane(k % 2).api().patchSettings(zoneId, FlipSequence.settings(k));
                assertThat(r.status()).as("flip %d: %s", k, r).isEqualTo(200);
                long revision = r.revision();
                assertThat(revision).as("revisions grow").isGreaterThan(lastRevision);
                lastRevision = revision;
                flips = k;
                // Paced so that each visitor sees most states: a backwards step is then detectable.
                TimeUnit.MILLISECONDS.sleep(40);
            }
        } finally {
            stop.set(true);
            for (Future<?> f : visitors) {
                f.get(30, TimeUnit.SECONDS);
            }
            pool.shutdownNow();
        }
        System.out.printf("scenario 1: %d flips, %d responses through 2 nodes, last revision %d%n",
                flips, answered.get(), lastRevision);

        assertThat(problems).as("torn, backwards or failed responses").isEmpty();
        assertThat(answered.get()).as("traffic actually flowed").isGreaterThan(flips);
        long last = lastRevision;
        for (EdgeNodeProcess node : sys.nodes()) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(node.servedRevision()).as(node.nodeId()).isEqualTo(last));
            Visitor.Answer finalAnswer = new Visitor().get(node.visitorBase(), ZONE, "/final");
            assertThat(FlipSequence.phaseOf(finalAnswer)).as(node.nodeId() + " serves the last state")
                    .isEqualTo(flips % FlipSequence.PERIOD);
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode propagation = api.propagation(zoneId);
            assertThat(propagation.get("latest_revision").asLong()).isEqualTo(last);
            // Only this run's two nodes: a node an earlier scenario stopped may still count as live for a while.
            for (EdgeNodeProcess node : sys.nodes()) {
                JsonNode n = Propagation.node(propagation, node.nodeId());
                assertThat(n.get("applied").asBoolean()).as(n.toString()).isTrue();
                assertThat(n.get("applied_revision").asLong()).as(n.toString()).isEqualTo(last);
            }
        });
    }

    /** One sequential visitor of one node until {@code stop}; records every violation it sees. */
    private static Void visit(EdgeNodeProcess node, String who, AtomicInteger started, AtomicBoolean stop,
            List<String> problems, AtomicInteger answered) {
        Visitor visitor = new Visitor();
        int index = 0; // greedy lower bound of the state index this node has shown this visitor
        int n = 0;
        while (!stop.get() && problems.size() < 20) {
            n++;
            try {
                Visitor.Answer answer = visitor.get(node.visitorBase(), ZONE, "/seq/" + n);
                int newest = started.get(); // read after the answer: no later PATCH can have been applied
                answered.incrementAndGet();
                if (answer.status() != 200) {
                    problems.add(who + " request " + n + ": HTTP " + answer.status() + " " + answer.body());
                    continue;
                }
                int phase = FlipSequence.phaseOf(answer);
                if (phase < 0) {
                    problems.add(who + " request " + n + ": torn config, origin saw " + answer.originSaw());
                    continue;
                }
                int candidate = FlipSequence.nextIndexWithPhase(index, phase);
                if (candidate > newest) {
                    problems.add(who + " request " + n + ": state phase " + phase + " after index " + index
                            + " with only " + newest + " PATCHes sent: the node went back to an older revision");
                    continue;
                }
                index = candidate;
            } catch (Exception e) {
                problems.add(who + " request " + n + ": " + e);
            }
        }
        return null;
    }
}
