package zoneplane.dataplane.subscriber;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /** Told of every view the subscriber publishes, on the subscriber's thread (keep it quick). */
    public interface ViewListener {
        /** {@code changes} is what led from the previous view; empty for a snapshot or the disk cache. */
        void onView(ZoneView view, List<Change> changes);
    }

    private final ControlPlaneReplicas replicas;
    private final ControlPlaneClient client;
    private final ReplicaMetrics replicaMetrics;
    private final String nodeId;
    private final ViewSequence sequence;
    private final CacheKeeper cache;
    private final ReplicaAttempt attempt;
    private final SubscriberOptions options;
    private final SubscriberMetrics metrics;
    private final NodeReporter reporter;
    private final RefusedChanges refused = new RefusedChanges();
    private final List<ViewListener> listeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> contactListeners = new CopyOnWriteArrayList<>();
    private final ZoneCanonicalizer canonicalizer = new ZoneCanonicalizer();
    private final AtomicBoolean started = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final ScheduledExecutorService timer;
    private final Thread thread;

    private volatile boolean closing;

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
        this.options = options;
        this.metrics = new SubscriberMetrics(Objects.requireNonNull(registry, "registry"), refused, this::staleCacheSeconds);
        this.cache = new CacheKeeper(new ViewCache(Objects.requireNonNull(cacheDir, "cacheDir"), canonicalizer), metrics,
                options.persistInterval());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "zoneplane-subscriber-timer-" + nodeId));
        this.reporter = new NodeReporter(client, nodeId, options, refused::list, this::contact, timer);
        this.sequence = new ViewSequence(Objects.requireNonNull(live, "live"), refused, metrics, listeners, canonicalizer,
                reporter::report);
        this.attempt = new ReplicaAttempt(client, replicaMetrics, metrics, sequence, cache, canonicalizer, this::contact,
                () -> closing);
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
        cache.answered();
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
        cache.cache().loadGeneration().ifPresent(loaded -> {
            ZoneView cached = loaded.view();
            log.info("serving {} zones at revision {} from the disk cache {} ({} generation, written {})", cached.size(),
                    cached.revision(), cache.cache().file(), loaded.generation().name().toLowerCase(java.util.Locale.ROOT),
                    loaded.writtenAt());
            cache.loaded(loaded);
            // Staleness counts from when the cache was written, not from this start: a restarted node
            // does not know anything newer than its cache.
            metrics.contactAt(loaded.writtenAt());
            // Published before anything touches the control plane: the HTTP client (and the TLS context
            // it builds) comes with the first request, on the subscriber's thread or the timer's (whose
            // first report, right below, carries this revision), so this thread returns to bind the
            // listeners at once (SPEC §8 cold start).
            sequence.serveCached(cached);
        });
        thread.start();
        long persist = options.persistInterval().toMillis();
        timer.scheduleWithFixedDelay(this::persist, persist, persist, TimeUnit.MILLISECONDS);
        long report = options.reportInterval().toMillis();
        timer.scheduleWithFixedDelay(() -> reporter.report(sequence.view().revision()), 0, report, TimeUnit.MILLISECONDS);
        long watch = Math.max(50, options.idleTimeout().toMillis() / 4);
        timer.scheduleWithFixedDelay(this::watchdog, watch, watch, TimeUnit.MILLISECONDS);
    }

    /** The revision of the view this subscriber last published. */
    public long appliedRevision() {
        return sequence.view().revision();
    }

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        closed.countDown();
        attempt.closeConnection();
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
        boolean needSnapshot = !sequence.haveView();
        if (!needSnapshot && cache.cache().holdsRefusedZones()) {
            // The refusals themselves are not in the cache: resuming would serve those zones' earlier
            // config without saying so. A snapshot replaces them (the cache is served meanwhile).
            log.info("the disk cache holds zones kept after refused changes: taking a snapshot instead of resuming");
            needSnapshot = true;
        }
        long failures = 0;
        while (!closing) {
            ControlPlaneReplicas.Replica replica = replicas.next();
            attempt.begin(replica);
            try {
                if (needSnapshot) {
                    attempt.snapshot(replica);
                    needSnapshot = false;
                }
                attempt.follow(replica, !attempt.answered());
            } catch (ControlPlaneClient.HistoryGone e) {
                log.info("revision {} is no longer retained by {}: taking a snapshot", sequence.view().revision(), replica);
                attempt.answeredWithoutView();
                needSnapshot = true;
            } catch (InterruptedException e) {
                Thread.interrupted(); // a watchdog abort or close(): the loop condition decides
            } catch (IOException | RuntimeException e) {
                failures++;
                if (!closing) {
                    cache.warnOnceIfStale(sequence.view().revision());
                }
                // Logarithmic: the 1st, 2nd, 4th, 8th… consecutive failure, so an outage does not flood the log.
                if (!closing && Long.bitCount(failures) == 1) {
                    log.warn("config stream from {} interrupted (failure {} in a row, serving revision {}): {}",
                            replica, failures, sequence.view().revision(), describe(e));
                }
            }
            if (closing) {
                break;
            }
            metrics.reconnects.increment();
            if (attempt.answered()) {
                failures = 0;
            }
            pause(delayBeforeNextAttempt(backoff));
        }
    }

    /** Tells the rotation how the attempt went and returns how long to wait before the next one. */
    private long delayBeforeNextAttempt(Backoff backoff) {
        if (attempt.answered()) {
            // It worked until it ended (a replica stopping, the stream's lifetime): the next replica
            // right away, but jittered, so the nodes of a replica that died do not all arrive at once.
            replicas.succeeded();
            backoff.reset();
            return backoff.next().toMillis();
        }
        // A replica not yet tried since the last success is tried at once; when every one has failed, back off.
        return replicas.failed() ? backoff.next().toMillis() : 0;
    }

    /** Whether the control-plane client has been built yet (it is built by its first request). */
    boolean controlPlaneClientBuilt() {
        return client.built();
    }

    /** Seconds since the disk-cache view being served was written, while the control plane has not answered since start; else 0. */
    double staleCacheSeconds() {
        return cache.staleSeconds();
    }

    /**
     * What the node's management {@code /health/details} shows of its configuration: each entry
     * {@code ok}, or a sentence saying what is degraded.
     */
    public Map<String, String> healthDetails() {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("config", cache.staleness(sequence.view().revision()));
        details.put("disk_cache", cache.healthDetail());
        List<zoneplane.model.wire.NodeReport.Refusal> held = refused.list();
        details.put("refused_changes", held.isEmpty() ? "ok"
                : "degraded: " + held.size() + " zone(s) served at their last good config after refused changes " + held);
        return details;
    }

    private void persist() {
        if (sequence.haveView()) {
            cache.persist(sequence.view(), refused.size() > 0);
        }
    }

    private void watchdog() {
        if (attempt.dropIfIdle(options.idleTimeout())) {
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

    static String describe(Throwable e) {
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
        return "ConfigSubscriber{node=" + nodeId + ", " + replicas + ", " + client + ", revision=" + sequence.view().revision() + ", cache=" + cache.cache().file() + "}";
    }
}
