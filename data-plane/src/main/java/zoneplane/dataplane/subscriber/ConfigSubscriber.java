package zoneplane.dataplane.subscriber;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
import zoneplane.model.ZoneConfig;
import zoneplane.model.wire.StreamLine;

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
    private final RefusedChanges refused = new RefusedChanges();
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
    /** When the disk-cache file being served was written, while the control plane has not answered since start; else null. */
    private volatile Instant servingCacheOf;
    private volatile ViewCache.Generation cacheGeneration;
    private volatile String cacheWriteFailure;
    private boolean staleCacheLogged; // subscriber thread only
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
        this.metrics = new SubscriberMetrics(Objects.requireNonNull(registry, "registry"), refused, this::staleCacheSeconds);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "zoneplane-subscriber-timer-" + nodeId));
        this.reporter = new NodeReporter(client, nodeId, options, refused::list, this::contact, timer);
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
        servingCacheOf = null;
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
        cache.loadGeneration().ifPresent(loaded -> {
            ZoneView cached = loaded.view();
            log.info("serving {} zones at revision {} from the disk cache {} ({} generation, written {})", cached.size(),
                    cached.revision(), cache.file(), loaded.generation().name().toLowerCase(java.util.Locale.ROOT),
                    loaded.writtenAt());
            cacheGeneration = loaded.generation();
            servingCacheOf = loaded.writtenAt();
            // Staleness counts from when the cache was written, not from this start: a restarted node
            // does not know anything newer than its cache.
            metrics.contactAt(loaded.writtenAt());
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
                warnOnceIfServingAStaleCache();
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
        if (refused.size() > 0) {
            log.info("the snapshot at revision {} replaces the {} zone(s) held after refused changes", revision, refused.size());
            refused.clear();
        }
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
                StreamLine parsed = StreamLine.decode(line);
                if (parsed instanceof StreamLine.ChangeLine changeLine) {
                    accept(changeLine.change(), batch);
                    if (batch.size() >= MAX_BATCH || !c.ready()) {
                        apply(batch);
                    }
                } else if (parsed instanceof StreamLine.Undecodable undecodable) {
                    refuse(undecodable, batch);
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

    /**
     * A change this node cannot decode (SPEC §4, issue 21): it is skipped, so every later change,
     * of every other zone, still applies; its zone keeps its last good config; the refusal is
     * logged, counted and reported to the control plane (a NACK) until a later change of that zone
     * applies or a snapshot replaces the view.
     */
    private void refuse(StreamLine.Undecodable line, List<Change> batch) throws IOException {
        long expected = view.revision() + batch.size() + 1;
        if (line.revision() < expected) {
            return; // already read (and refused) before a reconnect
        }
        apply(batch);
        if (line.revision() > expected) {
            throw new IOException("gap in the change stream: expected revision " + expected + ", got "
                    + line.revision() + "; reconnecting from " + view.revision());
        }
        if (refused.refuse(line.revision(), line.zoneId(), line.reason())) {
            metrics.changesRefused.increment();
            log.warn("refusing change {} of zone {}: {}; the zone keeps its config of revision {} until a later change "
                    + "of it or a snapshot, every other zone follows the stream", line.revision(), line.zoneId(),
                    line.reason(), view.revision());
        }
        show(view.skip(line.revision()), List.of());
    }

    private void apply(List<Change> batch) {
        if (batch.isEmpty()) {
            return;
        }
        ZoneView next = view.apply(batch);
        List<Change> applied = List.copyOf(batch);
        batch.clear();
        metrics.changesApplied.increment(applied.size());
        if (refused.size() > 0) {
            for (Change change : applied) {
                if (refused.applied(change.zoneId())) {
                    log.info("zone {} is current again: change {} applied after a refused one", change.zoneId(),
                            change.revision());
                }
            }
        }
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

    /**
     * After a restart with the control plane down, says once that the view may be stale, and by how
     * much (the metric {@code zoneplane_config_cache_stale_seconds} and the health detail say it too).
     */
    private void warnOnceIfServingAStaleCache() {
        Instant written = servingCacheOf;
        if (written != null && !staleCacheLogged && !closing) {
            staleCacheLogged = true;
            log.warn("the control plane cannot be reached: serving the disk cache of revision {}, written {} ({} s ago); "
                    + "the view may be stale by that much", view.revision(), written,
                    Duration.between(written, Instant.now()).toSeconds());
        }
    }

    /** Seconds since the disk-cache view being served was written, while the control plane has not answered since start; else 0. */
    double staleCacheSeconds() {
        Instant written = servingCacheOf;
        return written == null ? 0 : Math.max(0, Duration.between(written, Instant.now()).toMillis() / 1000.0);
    }

    /**
     * What the node's management {@code /health/details} shows of its configuration: each entry
     * {@code ok}, or a sentence saying what is degraded.
     */
    public Map<String, String> healthDetails() {
        Map<String, String> details = new LinkedHashMap<>();
        Instant written = servingCacheOf;
        details.put("config", written == null ? "ok"
                : String.format(java.util.Locale.ROOT, "stale: serving the disk cache of revision %d written at %s (%.0f s ago); "
                        + "the control plane has not answered since start", view.revision(), written, staleCacheSeconds()));
        String failure = cacheWriteFailure;
        ViewCache.Generation generation = cacheGeneration;
        details.put("disk_cache", failure != null
                ? "degraded: cannot write " + cache.file() + ": " + failure + " (serving from memory)"
                : generation == ViewCache.Generation.PREVIOUS
                        ? "degraded: the newest cache file was damaged or missing at start; the previous generation was loaded"
                        : "ok");
        List<zoneplane.model.wire.NodeReport.Refusal> held = refused.list();
        details.put("refused_changes", held.isEmpty() ? "ok"
                : "degraded: " + held.size() + " zone(s) served at their last good config after refused changes " + held);
        return details;
    }

    private void persist() {
        ZoneView current = view;
        if (!haveView || current.revision() == persistedRevision) {
            return;
        }
        try {
            cache.save(current);
            persistedRevision = current.revision();
            cacheGeneration = ViewCache.Generation.NEWEST;
            if (cacheWriteFailure != null) {
                cacheWriteFailure = null;
                metrics.cacheDegraded(false);
                log.info("the disk cache {} is written again (revision {})", cache.file(), current.revision());
            }
        } catch (IOException | RuntimeException e) {
            metrics.cacheWriteFailures.increment();
            if (cacheWriteFailure == null) {
                // Once per outage: the node keeps serving from memory and retries every persist interval.
                log.warn("could not write the disk cache {}: {}; serving from memory, retrying every {} "
                        + "(zoneplane_config_cache_write_failures_total counts the attempts)", cache.file(), describe(e),
                        options.persistInterval());
                metrics.cacheDegraded(true);
            }
            cacheWriteFailure = describe(e);
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
