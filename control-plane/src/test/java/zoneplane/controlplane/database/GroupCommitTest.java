package zoneplane.controlplane.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The group-commit batcher alone, on its real committer thread: items are "key:name" strings, the
 * batch answers each with its name upper-cased and records what it was given. The first batch is
 * held on a latch while the test queues more, so what the next batch holds is certain.
 */
class GroupCommitTest {

    private static final Duration BOUND = Duration.ofSeconds(30);

    private final List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
    private final List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch holding = new CountDownLatch(1);
    private GroupCommit<String, String> commits;

    @AfterEach
    void close() throws InterruptedException {
        release.countDown();
        if (commits != null) {
            commits.close();
        }
    }

    /** A batch that holds the first batch containing {@code hold} until released; fails any batch containing "bad". */
    private GroupCommit<String, String> start(int maxBatch, Predicate<RuntimeException> failsEverything) {
        commits = new GroupCommit<>("test-commits", maxBatch, item -> item.split(":")[0], items -> {
            batches.add(List.copyOf(items));
            if (items.contains("k0:hold")) {
                holding.countDown();
                try {
                    release.await(BOUND.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (items.stream().anyMatch(item -> item.endsWith(":bad"))) {
                throw new IllegalArgumentException("bad item in " + items);
            }
            if (items.stream().anyMatch(item -> item.endsWith(":down"))) {
                throw new IllegalStateException("store down");
            }
            return items.stream().map(item -> item.split(":")[1].toUpperCase()).toList();
        }, failsEverything, sizes::add);
        return commits;
    }

    /** Submits the holding item, waits until its batch runs, then queues {@code items} behind it. */
    private List<CompletableFuture<String>> queuedBehindAHeldBatch(String... items) throws InterruptedException {
        commits.submit("k0:hold");
        assertThat(holding.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (String item : items) {
            answers.add(commits.submit(item));
        }
        await().atMost(BOUND).until(() -> commits.queued() == items.length);
        return answers;
    }

    @Test
    void itemsQueuedWhileABatchCommitsAreCommittedTogetherAndEachGetsItsOwnOutcome() throws Exception {
        start(64, e -> false);
        List<CompletableFuture<String>> answers = queuedBehindAHeldBatch("a:one", "b:two", "c:three");
        release.countDown();
        assertThat(answers.get(0).get(30, TimeUnit.SECONDS)).isEqualTo("ONE");
        assertThat(answers.get(1).get(30, TimeUnit.SECONDS)).isEqualTo("TWO");
        assertThat(answers.get(2).get(30, TimeUnit.SECONDS)).isEqualTo("THREE");
        assertThat(batches).containsExactly(List.of("k0:hold"), List.of("a:one", "b:two", "c:three"));
        assertThat(sizes).containsExactly(1, 3);
    }

    @Test
    void aBatchHoldsOneItemPerKeyAndAKeysItemsKeepTheirOrder() throws Exception {
        start(64, e -> false);
        List<CompletableFuture<String>> answers = queuedBehindAHeldBatch("a:first", "a:second", "b:other", "a:third");
        release.countDown();
        allAnswered(answers);
        assertThat(batches).containsExactly(List.of("k0:hold"), List.of("a:first", "b:other"), List.of("a:second"),
                List.of("a:third"));
    }

    @Test
    void aBatchIsNoLargerThanTheBound() throws Exception {
        start(2, e -> false);
        List<CompletableFuture<String>> answers = queuedBehindAHeldBatch("a:1", "b:2", "c:3");
        release.countDown();
        allAnswered(answers);
        assertThat(batches).containsExactly(List.of("k0:hold"), List.of("a:1", "b:2"), List.of("c:3"));
    }

    @Test
    void aFailedBatchIsCommittedAgainItemByItemSoOnlyTheBadItemFails() throws Exception {
        start(64, e -> false);
        List<CompletableFuture<String>> answers = queuedBehindAHeldBatch("a:good", "b:bad", "c:fine");
        release.countDown();
        assertThat(answers.get(0).get(30, TimeUnit.SECONDS)).isEqualTo("GOOD");
        assertThat(answers.get(2).get(30, TimeUnit.SECONDS)).isEqualTo("FINE");
        assertThatThrownBy(() -> answers.get(1).get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IllegalArgumentException.class);
        assertThat(batches).containsExactly(List.of("k0:hold"), List.of("a:good", "b:bad", "c:fine"),
                List.of("a:good"), List.of("b:bad"), List.of("c:fine"));
    }

    @Test
    void aFailureOfTheWholeStoreFailsTheBatchAndEveryItemWaitingWithoutTryingThem() throws Exception {
        start(64, e -> e instanceof IllegalStateException);
        List<CompletableFuture<String>> answers = queuedBehindAHeldBatch("a:down", "a:waiting", "b:down");
        release.countDown();
        for (CompletableFuture<String> answer : answers) {
            assertThatThrownBy(() -> answer.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("store down");
        }
        assertThat(batches).containsExactly(List.of("k0:hold"), List.of("a:down", "b:down"));
        assertThat(commits.submit("c:after").get(30, TimeUnit.SECONDS)).isEqualTo("AFTER");
    }

    @Test
    void closeCommitsWhatIsQueuedAndRefusesWhatComesAfter() throws Exception {
        start(64, e -> false);
        List<CompletableFuture<String>> answers = queuedBehindAHeldBatch("a:queued", "a:behind");
        release.countDown();
        commits.close();
        assertThat(answers.get(0)).isCompletedWithValue("QUEUED");
        assertThat(answers.get(1)).isCompletedWithValue("BEHIND");
        assertThatThrownBy(() -> commits.submit("b:late")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("test-commits has stopped");
    }

    private static void allAnswered(List<CompletableFuture<String>> answers) throws Exception {
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(BOUND.toSeconds(), TimeUnit.SECONDS);
    }
}
