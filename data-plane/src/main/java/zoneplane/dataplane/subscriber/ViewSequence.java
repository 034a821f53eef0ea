package zoneplane.dataplane.subscriber;

import java.io.IOException;
import java.util.List;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zoneplane.dataplane.view.LiveZoneView;
import zoneplane.dataplane.view.ZoneView;
import zoneplane.model.Change;
import zoneplane.model.wire.StreamLine;

/**
 * The node's view as a strict sequence of revisions: the next change is batched, one already applied
 * is skipped, a gap is an {@link IOException} (the caller reconnects from {@link #view()}'s revision),
 * an undecodable change is refused and skipped; each batch, snapshot or skip is published to the
 * {@link LiveZoneView}, the listeners, the metrics and the node report.
 *
 * <p>Written by the subscriber's thread only (the disk cache at start excepted, before that thread
 * starts); {@link #view()} may be read from any thread.
 */
final class ViewSequence {

    // The subscriber's logger: these lines are part of what ConfigSubscriber says it does.
    private static final Logger log = LoggerFactory.getLogger(ConfigSubscriber.class);

    private final LiveZoneView live;
    private final RefusedChanges refused;
    private final SubscriberMetrics metrics;
    private final List<ConfigSubscriber.ViewListener> listeners;
    private final ZoneCanonicalizer canonicalizer;
    private final LongConsumer report;

    private volatile ZoneView view = ZoneView.empty();
    private volatile boolean haveView;

    ViewSequence(LiveZoneView live, RefusedChanges refused, SubscriberMetrics metrics,
            List<ConfigSubscriber.ViewListener> listeners, ZoneCanonicalizer canonicalizer, LongConsumer report) {
        this.live = live;
        this.refused = refused;
        this.metrics = metrics;
        this.listeners = listeners;
        this.canonicalizer = canonicalizer;
        this.report = report;
    }

    /** The view last published (empty before any). */
    ZoneView view() {
        return view;
    }

    /** Whether a view has been published (from the disk cache, a snapshot or the stream). */
    boolean haveView() {
        return haveView;
    }

    /** Serves the disk cache's view before the control plane answers (no node report: the timer's first carries it). */
    void serveCached(ZoneView cached) {
        view = cached;
        haveView = true;
        live.publish(cached);
        tell(cached, List.of());
    }

    /** Replaces the whole view by a snapshot; it also replaces every zone held after a refused change. */
    void replace(ZoneView snapshot) {
        view = snapshot;
        haveView = true;
        if (refused.size() > 0) {
            log.info("the snapshot at revision {} replaces the {} zone(s) held after refused changes",
                    snapshot.revision(), refused.size());
            refused.clear();
        }
        live.replace(snapshot);
        announce(snapshot, List.of());
    }

    /** Adds {@code change} to the batch if it is the next revision; skips one already applied. */
    void accept(Change change, List<Change> batch) throws IOException {
        long expected = view.revision() + batch.size() + 1;
        if (change.revision() < expected) {
            log.debug("skipping revision {}: already applied", change.revision());
            return;
        }
        if (change.revision() > expected) {
            apply(batch);
            throw gap(expected, change.revision());
        }
        batch.add(canonicalizer.canonical(change));
    }

    /**
     * A change this node cannot decode (SPEC §4, issue 21): it is skipped, so every later change,
     * of every other zone, still applies; its zone keeps its last good config; the refusal is
     * logged, counted and reported to the control plane (a NACK) until a later change of that zone
     * applies or a snapshot replaces the view.
     */
    void refuse(StreamLine.Undecodable line, List<Change> batch) throws IOException {
        long expected = view.revision() + batch.size() + 1;
        if (line.revision() < expected) {
            return; // already read (and refused) before a reconnect
        }
        apply(batch);
        if (line.revision() > expected) {
            throw gap(expected, line.revision());
        }
        if (refused.refuse(line.revision(), line.zoneId(), line.reason())) {
            metrics.changesRefused.increment();
            log.warn("refusing change {} of zone {}: {}; the zone keeps its config of revision {} until a later change "
                    + "of it or a snapshot, every other zone follows the stream", line.revision(), line.zoneId(),
                    line.reason(), view.revision());
        }
        show(view.skip(line.revision()), List.of());
    }

    /** Applies and publishes the batch (if any), leaving it empty. */
    void apply(List<Change> batch) {
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

    private IOException gap(long expected, long got) {
        return new IOException("gap in the change stream: expected revision " + expected + ", got " + got
                + "; reconnecting from " + view.revision());
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
        report.accept(next.revision());
    }

    private void tell(ZoneView next, List<Change> changes) {
        metrics.applied(next.revision(), next.size());
        for (ConfigSubscriber.ViewListener listener : listeners) {
            listener.onView(next, changes);
        }
    }
}
