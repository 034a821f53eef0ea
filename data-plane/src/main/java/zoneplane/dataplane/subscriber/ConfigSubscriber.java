package zoneplane.dataplane.subscriber;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zoneplane.dataplane.view.LiveZoneView;
import zoneplane.dataplane.view.ZoneView;
import zoneplane.model.Change;
import zoneplane.model.ZoneConfig;

/**
 * Keeps a node's {@link LiveZoneView} in step with the control plane (SPEC §4, data-plane side).
 *
 * <p>{@link #start()} first loads the disk cache and publishes it (the node can serve before the
 * control plane answers; the HTTP client is built only afterwards, by the first request), then a dedicated thread takes a snapshot when it has no view (or after
 * 410 Gone) and streams the changes after its revision, applying them strictly in order in batches of
 * what is already buffered ({@link ZoneView#apply(List)}, then {@link LiveZoneView#publish}). A gap,
 * a malformed line, a dead connection (no line for {@code idleTimeout}) or any error ends the
 * connection; it reconnects from its last applied revision, without a snapshot, to the next
 * control-plane replica ({@link ControlPlaneReplicas}): at once while some replica has not failed
 * since the last success, with exponential backoff and full jitter once all have.
 * Duplicates (a revision already applied) are skipped, so nothing is applied twice. After each
 * applied batch and every {@code reportInterval} it reports its revision; every
 * {@code persistInterval} it writes the view to the disk cache if it changed.
 *
 * <p>Usage (what {@code DataPlaneMain} wires from {@code ZONEPLANE_CONTROL_PLANE_URL},
 * {@code ZONEPLANE_NODE_TOKEN}, {@code ZONEPLANE_NODE_ID}, {@code ZONEPLANE_CACHE_DIR}):
 * <pre>{@code
 * ConfigSubscriber subscriber = new ConfigSubscriber(List.of(URI.create(url1), URI.create(url2)), token, nodeId,
 *         Path.of(cacheDir), liveView, registry, SubscriberOptions.defaults());
 * subscriber.start();   // returns once the disk cache (if any) is published
 * ...
 * subscriber.close();   // on shutdown: stops streaming, writes the cache one last time
 * }</pre>
 */
public final class ConfigSubscriber implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConfigSubscriber.class);
    private static final int MAX_BATCH = 1000;

    /** Told of every view the subscriber publishes, on the subscriber's thread (keep it quick). */
    public interface ViewListener {
        /** {@code changes} is what led from the previous view; empty for a snapshot or the disk cache. */
        void onView(ZoneView view, List<Change> changes);
    }

    private final ControlPlaneReplicas replicas;
    private final ControlPlaneClient client;
    private final ReplicaMetrics replicaMetrics;
    private final String nodeId;
    private final LiveZoneView live;
    private final ViewCache cache;
    private final SubscriberOptions options;
    private final SubscriberMetrics metrics;
    private final NodeReporter reporter;
    private final List<ViewListener> listeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> contactListeners = new CopyOnWriteArrayList<>();
    private final ZoneCanonicalizer canonicalizer = new ZoneCanonicalizer();
    private final AtomicBoolean started = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final ScheduledExecutorService timer;
    private final Thread thread;

    private volatile ZoneView view = ZoneView.empty();
    private volatile boolean haveView;
    private volatile ControlPlaneClient.ChangeConnection connection;
    private volatile long lastLineNanos;
    private volatile long persistedRevision = -1;
    private volatile boolean closing;
    /** The current attempt got an answer from its replica (snapshot or stream line); subscriber thread only. */
    private boolean answered;

    public ConfigSubscriber(URI controlPlane, String nodeToken, String nodeId, Path cacheDir, LiveZoneView live,
            MeterRegistry registry) {
        this(controlPlane, nodeToken, nodeId, cacheDir, live, registry, SubscriberOptions.defaults());
    }

    public ConfigSubscriber(URI controlPlane, String nodeToken, String nodeId, Path cacheDir, LiveZoneView live,
            MeterRegistry registry, SubscriberOptions options) {
        this(List.of(Objects.requireNonNull(controlPlane, "controlPlane")), nodeToken, nodeId, cacheDir, live, registry,
                options);
    }

    /** A subscriber that follows whichever of the {@code controlPlanes} replicas answers (see {@link ControlPlaneReplicas}). */
    public ConfigSubscriber(List<URI> controlPlanes, String nodeToken, String nodeId, Path cacheDir, LiveZoneView live,
            MeterRegistry registry, SubscriberOptions options) {
        this(controlPlanes, InetAddress::getAllByName, nodeToken, nodeId, cacheDir, live, registry, options);
    }

    /** With the name resolution of the replicas' host names given (tests: a name with chosen addresses). */
    ConfigSubscriber(List<URI> controlPlanes, ControlPlaneReplicas.Resolver resolver, String nodeToken, String nodeId,
            Path cacheDir, LiveZoneView live, MeterRegistry registry, SubscriberOptions options) {
        Objects.requireNonNull(controlPlanes, "controlPlanes");
        Objects.requireNonNull(nodeToken, "nodeToken");
        if (nodeId == null || !nodeId.matches("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")) {
            throw new IllegalArgumentException("node id must be 1-128 of [A-Za-z0-9._:-], starting alphanumeric: " + nodeId);
        }
        this.replicas = new ControlPlaneReplicas(controlPlanes, nodeId, resolver);
        this.client = new ControlPlaneClient(replicas.firstGuess(), nodeToken, options.requestTimeout());
        this.replicaMetrics = new ReplicaMetrics(Objects.requireNonNull(registry, "registry"));
        this.nodeId = nodeId;
        this.live = Objects.requireNonNull(live, "live");
        this.cache = new ViewCache(Objects.requireNonNull(cacheDir, "cacheDir"), canonicalizer);
        this.options = options;
        this.metrics = new SubscriberMetrics(Objects.requireNonNull(registry, "registry"));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "zoneplane-subscriber-timer-" + nodeId));
        this.reporter = new NodeReporter(client, nodeId, options, this::contact, timer);
        this.thread = daemon(this::run, "zoneplane-subscriber-" + nodeId);
    }

    public void addListener(ViewListener listener) {
        listeners.add(listener);
    }

    /**
     * Told whenever the control plane answered (a snapshot, any stream line including heartbeats, a
     * node report): the moments the node knew its view was current. Not told of a disk-cache load.
     */
    public void addContactListener(Runnable listener) {
        contactListeners.add(listener);
    }

    private void contact() {
        metrics.contact();
        for (Runnable listener : contactListeners) {
            listener.run();
        }
    }

    /** Publishes the disk cache if there is a valid one, then starts following the control plane. */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("already started");
        }
        cache.load().ifPresent(cached -> {
            log.info("serving {} zones at revision {} from the disk cache {}", cached.size(), cached.revision(), cache.file());
            persistedRevision = cached.revision();
            // Published before anything touches the control plane: the HTTP client (and the TLS context
            // it builds) comes with the first request, on the subscriber's thread or the timer's (whose
            // first report, right below, carries this revision), so this thread returns to bind the
            // listeners at once (SPEC §8 cold start).
            view = cached;
            haveView = true;
            live.publish(cached);
            tell(cached, List.of());
        });
        thread.start();
        long persist = options.persistInterval().toMillis();
        timer.scheduleWithFixedDelay(this::persist, persist, persist, TimeUnit.MILLISECONDS);
        long report = options.reportInterval().toMillis();
        timer.scheduleWithFixedDelay(() -> reporter.report(view.revision()), 0, report, TimeUnit.MILLISECONDS);
        long watch = Math.max(50, options.idleTimeout().toMillis() / 4);
        timer.scheduleWithFixedDelay(this::watchdog, watch, watch, TimeUnit.MILLISECONDS);
    }

    /** The revision of the view this subscriber last published. */
    public long appliedRevision() {
        return view.revision();
    }

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        closed.countDown();
        ControlPlaneClient.ChangeConnection c = connection;
        if (c != null) {
            c.close();
        }
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Let a cache write in progress finish (interrupting it would abort the file channel).
        timer.shutdown();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        persist();
    }

    private void run() {
        Backoff backoff = new Backoff(options.minBackoff(), options.maxBackoff());
        boolean needSnapshot = !haveView;
        long failures = 0;
        while (!closing) {
            ControlPlaneReplicas.Replica replica = replicas.next();
            client.aimAt(replica);
            answered = false;
            try {
                if (needSnapshot) {
                    snapshot(replica);
                    needSnapshot = false;
                }
                follow(replica, !answered);
            } catch (ControlPlaneClient.HistoryGone e) {
                log.info("revision {} is no longer retained by {}: taking a snapshot", view.revision(), replica);
                answered = true;
                needSnapshot = true;
            } catch (InterruptedException e) {
                Thread.interrupted(); // a watchdog abort or close(): the loop condition decides
            } catch (IOException | RuntimeException e) {
                failures++;
                // Logarithmic: the 1st, 2nd, 4th, 8th… consecutive failure, so an outage does not flood the log.
                if (!closing && Long.bitCount(failures) == 1) {
                    log.warn("config stream from {} interrupted (failure {} in a row, serving revision {}): {}",
                            replica, failures, view.revision(), describe(e));
                }
            }
            if (closing) {
                break;
            }
            metrics.reconnects.increment();
            if (answered) {
                failures = 0;
            }
            pause(delayBeforeNextAttempt(backoff));
        }
    }

    /** Tells the rotation how the attempt went and returns how long to wait before the next one. */
    private long delayBeforeNextAttempt(Backoff backoff) {
        if (answered) {
            // It worked until it ended (a replica stopping, the stream's lifetime): the next replica
            // right away, but jittered, so the nodes of a replica that died do not all arrive at once.
            replicas.succeeded();
            backoff.reset();
            return backoff.next().toMillis();
        }
        // A replica not yet tried since the last success is tried at once; when every one has failed, back off.
        return replicas.failed() ? backoff.next().toMillis() : 0;
    }

    private void snapshot(ControlPlaneReplicas.Replica replica) throws IOException, InterruptedException {
        List<ZoneConfig> zones = new ArrayList<>();
        long revision = client.snapshot(replica, zone -> zones.add(canonicalizer.canonical(zone)));
        answered = true;
        contact();
        metrics.snapshots.increment();
        ZoneView snapshot = ZoneView.of(revision, zones);
        if (haveView && revision < view.revision()) {
            // Only the database going back (a restore) does this; what it lost no longer exists anywhere
            // but here, and the revisions that follow will be other changes: follow the database.
            log.warn("the control plane is at revision {}, behind this node's {} (its database went back): serving its snapshot",
                    revision, view.revision());
        }
        log.info("took a snapshot of {} zones at revision {} from {}", snapshot.size(), revision, replica);
        view = snapshot;
        haveView = true;
        live.replace(snapshot);
        announce(snapshot, List.of());
    }

    /** Streams changes until the connection ends; {@code resumed}: opened from the node's own revision, no snapshot first. */
    private void follow(ControlPlaneReplicas.Replica replica, boolean resumed) throws IOException, InterruptedException {
        ControlPlaneClient.ChangeConnection c = client.changes(replica, view.revision());
        lastLineNanos = System.nanoTime();
        connection = c;
        replicaMetrics.following(replica);
        if (resumed) {
            replicaMetrics.resumes.increment();
        }
        log.info("following the change stream of {} from revision {}", replica, view.revision());
        List<Change> batch = new ArrayList<>();
        try {
            String line;
            while (!closing && (line = c.readLine()) != null) {
                lastLineNanos = System.nanoTime();
                contact();
                answered = true;
                if (line.isBlank()) {
                    continue;
                }
                StreamLine parsed = StreamLine.parse(line);
                if (parsed instanceof StreamLine.ChangeLine changeLine) {
                    accept(changeLine.change(), batch);
                    if (batch.size() >= MAX_BATCH || !c.ready()) {
                        apply(batch);
                    }
                } else if (parsed instanceof StreamLine.Heartbeat heartbeat) {
                    apply(batch);
                    metrics.announced(heartbeat.revision());
                } else if (parsed instanceof StreamLine.ServerError error) {
                    apply(batch);
                    log.info("{} ended the change stream: {}", replica, error.message());
                    return;
                }
            }
            apply(batch);
        } finally {
            connection = null;
            c.close();
        }
    }

    /** Adds {@code change} to the batch if it is the next revision; skips one already applied. */
    private void accept(Change change, List<Change> batch) throws IOException {
        long expected = view.revision() + batch.size() + 1;
        if (change.revision() < expected) {
            log.debug("skipping revision {}: already applied", change.revision());
            return;
        }
        if (change.revision() > expected) {
            apply(batch);
            throw new IOException("gap in the change stream: expected revision " + expected + ", got "
                    + change.revision() + "; reconnecting from " + view.revision());
        }
        batch.add(canonicalizer.canonical(change));
    }

    private void apply(List<Change> batch) {
        if (batch.isEmpty()) {
            return;
        }
        ZoneView next = view.apply(batch);
        List<Change> applied = List.copyOf(batch);
        batch.clear();
        metrics.changesApplied.increment(applied.size());
        show(next, applied);
    }

    private void show(ZoneView next, List<Change> changes) {
        view = next;
        haveView = true;
        live.publish(next);
        announce(next, changes);
    }

    /** Metrics, listeners and the node report for a view just made current. */
    private void announce(ZoneView next, List<Change> changes) {
        tell(next, changes);
        reporter.report(next.revision());
    }

    private void tell(ZoneView next, List<Change> changes) {
        metrics.applied(next.revision(), next.size());
        for (ViewListener listener : listeners) {
            listener.onView(next, changes);
        }
    }

    /** Whether the control-plane client has been built yet (it is built by its first request). */
    boolean controlPlaneClientBuilt() {
        return client.built();
    }

    private void persist() {
        ZoneView current = view;
        if (!haveView || current.revision() == persistedRevision) {
            return;
        }
        try {
            cache.save(current);
            persistedRevision = current.revision();
        } catch (IOException | RuntimeException e) {
            log.warn("could not write the disk cache {}: {}", cache.file(), e.getMessage());
        }
    }

    private void watchdog() {
        ControlPlaneClient.ChangeConnection c = connection;
        if (c != null && System.nanoTime() - lastLineNanos > options.idleTimeout().toNanos()) {
            log.warn("no line from the control plane for {}: dropping the connection", options.idleTimeout());
            c.close();
            thread.interrupt();
        }
    }

    private void pause(long millis) {
        try {
            closed.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.interrupted();
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public String toString() {
        return "ConfigSubscriber{node=" + nodeId + ", " + replicas + ", " + client + ", revision=" + view.revision() + ", cache=" + cache.file() + "}";
    }
}
