package zoneplane.dataplane.subscriber;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zoneplane.dataplane.view.ZoneView;
import zoneplane.model.Change;
import zoneplane.model.ZoneConfig;
import zoneplane.model.wire.StreamLine;

/**
 * The subscriber's attempts at one replica each: a snapshot when asked, then the change stream from
 * the node's revision until it ends, the changes buffered on the connection applied as one batch.
 * Whether the replica {@linkplain #answered() answered} decides the next attempt's delay.
 *
 * <p>{@link #snapshot} and {@link #follow} run on the subscriber's thread; {@link #dropIfIdle} (the
 * watchdog, on the timer) and {@link #closeConnection} (close) on others.
 */
final class ReplicaAttempt {

    private static final Logger log = LoggerFactory.getLogger(ConfigSubscriber.class);
    private static final int MAX_BATCH = 1000;

    private final ControlPlaneClient client;
    private final ReplicaMetrics replicaMetrics;
    private final SubscriberMetrics metrics;
    private final ViewSequence sequence;
    private final CacheKeeper cache;
    private final ZoneCanonicalizer canonicalizer;
    private final Runnable contact;
    private final BooleanSupplier closing;

    private volatile ControlPlaneClient.ChangeConnection connection;
    private volatile long lastLineNanos;
    /** The current attempt got an answer from its replica (snapshot or stream line); subscriber thread only. */
    private boolean answered;

    ReplicaAttempt(ControlPlaneClient client, ReplicaMetrics replicaMetrics, SubscriberMetrics metrics,
            ViewSequence sequence, CacheKeeper cache, ZoneCanonicalizer canonicalizer, Runnable contact,
            BooleanSupplier closing) {
        this.client = client;
        this.replicaMetrics = replicaMetrics;
        this.metrics = metrics;
        this.sequence = sequence;
        this.cache = cache;
        this.canonicalizer = canonicalizer;
        this.contact = contact;
        this.closing = closing;
    }

    /** Starts an attempt at {@code replica}: nothing answered yet. */
    void begin(ControlPlaneReplicas.Replica replica) {
        client.aimAt(replica);
        answered = false;
    }

    boolean answered() {
        return answered;
    }

    /** The replica answered, though not with a view (410 Gone: its history no longer reaches the node's revision). */
    void answeredWithoutView() {
        answered = true;
    }

    void snapshot(ControlPlaneReplicas.Replica replica) throws IOException, InterruptedException {
        List<ZoneConfig> zones = new ArrayList<>();
        long revision = client.snapshot(replica, zone -> zones.add(canonicalizer.canonical(zone)));
        answered = true;
        contact.run();
        metrics.snapshots.increment();
        ZoneView snapshot = ZoneView.of(revision, zones);
        ZoneView current = sequence.view();
        if (sequence.haveView() && revision < current.revision()) {
            // Only the database going back (a restore) does this; what it lost no longer exists anywhere
            // but here, and the revisions that follow will be other changes: follow the database.
            log.warn("the control plane is at revision {}, behind this node's {} (its database went back): serving its snapshot",
                    revision, current.revision());
        }
        log.info("took a snapshot of {} zones at revision {} from {}", snapshot.size(), revision, replica);
        cache.replaced();
        sequence.replace(snapshot);
    }

    /** Streams changes until the connection ends; {@code resumed}: opened from the node's own revision, no snapshot first. */
    void follow(ControlPlaneReplicas.Replica replica, boolean resumed) throws IOException, InterruptedException {
        ControlPlaneClient.ChangeConnection c = client.changes(replica, sequence.view().revision());
        lastLineNanos = System.nanoTime();
        connection = c;
        replicaMetrics.following(replica);
        if (resumed) {
            replicaMetrics.resumes.increment();
        }
        log.info("following the change stream of {} from revision {}", replica, sequence.view().revision());
        List<Change> batch = new ArrayList<>();
        try {
            String line;
            while (!closing.getAsBoolean() && (line = c.readLine()) != null) {
                lastLineNanos = System.nanoTime();
                contact.run();
                answered = true;
                if (line.isBlank()) {
                    continue;
                }
                StreamLine parsed = StreamLine.decode(line);
                if (parsed instanceof StreamLine.ChangeLine changeLine) {
                    sequence.accept(changeLine.change(), batch);
                    if (batch.size() >= MAX_BATCH || !c.ready()) {
                        sequence.apply(batch);
                    }
                } else if (parsed instanceof StreamLine.Undecodable undecodable) {
                    sequence.refuse(undecodable, batch);
                } else if (parsed instanceof StreamLine.Heartbeat heartbeat) {
                    sequence.apply(batch);
                    metrics.announced(heartbeat.revision());
                } else if (parsed instanceof StreamLine.ServerError error) {
                    sequence.apply(batch);
                    log.info("{} ended the change stream: {}", replica, error.message());
                    return;
                }
            }
            sequence.apply(batch);
        } finally {
            connection = null;
            c.close();
        }
    }

    /** Drops the stream when no line came for {@code idleTimeout}; true when it did (the caller interrupts the reader). */
    boolean dropIfIdle(Duration idleTimeout) {
        ControlPlaneClient.ChangeConnection c = connection;
        if (c != null && System.nanoTime() - lastLineNanos > idleTimeout.toNanos()) {
            log.warn("no line from the control plane for {}: dropping the connection", idleTimeout);
            c.close();
            return true;
        }
        return false;
    }

    void closeConnection() {
        ControlPlaneClient.ChangeConnection c = connection;
        if (c != null) {
            c.close();
        }
    }
}
