package zoneplane.controlplane.database;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: callers {@link #submit} items and get a future; one committer thread takes every item
 * that queued up meanwhile (up to {@code maxBatch}) and hands them to the {@link Batch} at once, so
 * under load many items share one transaction, and when idle a batch is one item. Knows nothing of
 * what the items are.
 *
 * <p>Ordering: a batch holds at most one item per key (say, per zone), so an item sees the result of
 * the one before it of its key; a second item of a key waits for a later batch, and so does every
 * item of that key after it, so each key's items are committed in submission order.
 *
 * <p>Failures: when the batch throws, nothing of it was committed. If {@code failsEverything} says
 * the failure is of the whole store (the database cannot be reached), that batch and every item
 * still waiting fail with it at once, instead of each waiting for its own timeout in turn; otherwise
 * each item of the batch is tried again alone, so one item the store refuses cannot fail the others.
 *
 * <p>Thread-safety: {@link #submit} from any thread; the batch runs on the committer thread only.
 * {@link #close} commits what is queued, then stops; later submissions fail.
 *
 * @param <I> an item
 * @param <O> an item's outcome
 */
public final class GroupCommit<I, O> implements AutoCloseable {

    /** Commits a batch: one outcome per item, in the batch's order; throws if nothing was committed. */
    @FunctionalInterface
    public interface Batch<I, O> {
        List<O> commit(List<I> items);
    }

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    private record Pending<I, O>(I item, CompletableFuture<O> answer) {}

    private final String name;
    private final int maxBatch;
    private final Function<? super I, ?> key;
    private final Batch<I, O> batch;
    private final Predicate<RuntimeException> failsEverything;
    private final IntConsumer batchSizes;
    private final Pending<I, O> stop = new Pending<>(null, null);
    private final BlockingQueue<Pending<I, O>> queue = new LinkedBlockingQueue<>();
    private final Thread committer;
    /** Committer thread only: set once {@link #close} asked it to stop, it then waits for nothing more. */
    private boolean stopping;
    /** Under the queue's lock: set when the committer has ended, nothing more is accepted. */
    private boolean closed;

    /**
     * Starts the committer thread (named {@code name}, a daemon).
     *
     * @param key what at most one item of a batch may share
     * @param failsEverything whether a batch's failure fails every waiting item (called once per failed batch)
     * @param batchSizes told the size of every batch handed to {@code batch}, retries alone included
     */
    public GroupCommit(String name, int maxBatch, Function<? super I, ?> key, Batch<I, O> batch,
            Predicate<RuntimeException> failsEverything, IntConsumer batchSizes) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1: " + maxBatch);
        }
        this.name = name;
        this.maxBatch = maxBatch;
        this.key = Objects.requireNonNull(key);
        this.batch = Objects.requireNonNull(batch);
        this.failsEverything = Objects.requireNonNull(failsEverything);
        this.batchSizes = Objects.requireNonNull(batchSizes);
        this.committer = new Thread(this::run, name);
        this.committer.setDaemon(true);
        this.committer.start();
    }

    /** Queues {@code item}; the future completes once its batch committed (or failed). */
    public CompletableFuture<O> submit(I item) {
        Pending<I, O> pending = new Pending<>(Objects.requireNonNull(item), new CompletableFuture<>());
        synchronized (queue) {
            if (closed) {
                throw stopped();
            }
            queue.add(pending);
        }
        return pending.answer();
    }

    /** Items waiting for the committer (not counting those deferred to a later batch by their key). */
    public int queued() {
        return queue.size();
    }

    /** Commits what is queued, then stops; waits up to 30 s for that, then interrupts the committer. */
    @Override
    public void close() throws InterruptedException {
        queue.add(stop);
        committer.join(TimeUnit.SECONDS.toMillis(30));
        if (committer.isAlive()) {
            log.warn("{} still busy after 30 s at shutdown; interrupting it", name);
            committer.interrupt();
        }
    }

    private void run() {
        ArrayDeque<Pending<I, O>> deferred = new ArrayDeque<>();
        try {
            while (true) {
                List<Pending<I, O>> next = nextBatch(deferred);
                if (next.isEmpty()) {
                    return;
                }
                RuntimeException outage = commit(next);
                if (outage != null) {
                    failWaiting(deferred, outage);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (queue) {
                closed = true;
                deferred.addAll(queue);
                queue.clear();
            }
            deferred.stream().filter(pending -> pending != stop)
                    .forEach(pending -> pending.answer().completeExceptionally(stopped()));
        }
    }

    /** Commits and answers the batch; returns the failure if it fails everything, else null. */
    private RuntimeException commit(List<Pending<I, O>> pendings) {
        batchSizes.accept(pendings.size());
        List<O> outcomes;
        try {
            outcomes = batch.commit(pendings.stream().map(Pending::item).toList());
        } catch (RuntimeException e) {
            if (failsEverything.test(e)) {
                pendings.forEach(pending -> pending.answer().completeExceptionally(e));
                return e;
            }
            if (pendings.size() == 1) {
                pendings.get(0).answer().completeExceptionally(e);
            } else {
                log.warn("{}: a batch of {} failed ({}); committing each alone", name, pendings.size(), e.toString());
                pendings.forEach(pending -> commit(List.of(pending)));
            }
            return null;
        }
        if (outcomes.size() != pendings.size()) {
            IllegalStateException wrong = new IllegalStateException(
                    name + ": " + outcomes.size() + " outcomes for a batch of " + pendings.size());
            pendings.forEach(pending -> pending.answer().completeExceptionally(wrong));
            return null;
        }
        for (int i = 0; i < pendings.size(); i++) {
            pendings.get(i).answer().complete(outcomes.get(i));
        }
        return null;
    }

    /** Every item waiting (deferred or queued) fails with {@code outage}; a stop request among them is kept. */
    private void failWaiting(ArrayDeque<Pending<I, O>> deferred, RuntimeException outage) {
        List<Pending<I, O>> waiting = new ArrayList<>(deferred);
        deferred.clear();
        queue.drainTo(waiting);
        for (Pending<I, O> pending : waiting) {
            if (pending == stop) {
                stopping = true;
            } else {
                pending.answer().completeExceptionally(outage);
            }
        }
    }

    /**
     * The deferred items first, then what is queued: one item per key, the first item waited for
     * (unless stopping). An item of a key already in the batch is deferred, and so is every later
     * item of that key. Empty once stopping and nothing is left.
     */
    private List<Pending<I, O>> nextBatch(ArrayDeque<Pending<I, O>> deferred) throws InterruptedException {
        List<Pending<I, O>> next = new ArrayList<>();
        Set<Object> keys = new HashSet<>();
        ArrayDeque<Pending<I, O>> later = new ArrayDeque<>();
        Pending<I, O> pending = !deferred.isEmpty() ? deferred.poll() : stopping ? queue.poll() : queue.take();
        while (pending != null) {
            if (pending == stop) {
                stopping = true;
            } else if (keys.add(key.apply(pending.item()))) {
                next.add(pending);
            } else {
                later.add(pending);
            }
            if (next.size() == maxBatch) {
                break;
            }
            pending = deferred.isEmpty() ? queue.poll() : deferred.poll();
        }
        later.addAll(deferred);
        deferred.clear();
        deferred.addAll(later);
        return next;
    }

    private IllegalStateException stopped() {
        return new IllegalStateException(name + " has stopped (shutting down)");
    }

    @Override
    public String toString() {
        return "GroupCommit{" + name + ", maxBatch=" + maxBatch + "}";
    }
}
