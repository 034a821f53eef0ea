package zoneplane.dataplane.subscriber;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zoneplane.dataplane.view.ZoneView;

/**
 * Keeps the disk cache in step with the served view: writes it when the revision changed since the
 * last write (or a snapshot replaced what it held), and while writes fail keeps serving from memory,
 * retries at each call and says so once per outage (log, metric, health detail). It also knows how
 * stale the view loaded from the cache at start is, until the control plane first answers.
 *
 * <p>{@link #persist} runs on the subscriber's timer (and once at close), {@link #warnOnceIfStale} on
 * the subscriber's thread; the other methods on any thread: the state is volatile.
 */
final class CacheKeeper {

    private static final Logger log = LoggerFactory.getLogger(ConfigSubscriber.class);

    private final ViewCache cache;
    private final SubscriberMetrics metrics;
    private final Duration persistInterval;

    private volatile long persistedRevision = -1;
    private volatile ViewCache.Generation generation;
    private volatile String writeFailure;
    /** When the disk-cache file being served was written, while the control plane has not answered since start; else null. */
    private volatile Instant servingCacheOf;
    private boolean staleCacheLogged; // subscriber thread only

    CacheKeeper(ViewCache cache, SubscriberMetrics metrics, Duration persistInterval) {
        this.cache = cache;
        this.metrics = metrics;
        this.persistInterval = persistInterval;
    }

    ViewCache cache() {
        return cache;
    }

    /** The view was loaded from the cache: it need not be written again at that revision. */
    void loaded(ViewCache.Loaded loaded) {
        generation = loaded.generation();
        persistedRevision = loaded.view().revision();
        servingCacheOf = loaded.writtenAt();
    }

    /** The control plane answered: the view is no longer the one loaded from the cache. */
    void answered() {
        servingCacheOf = null;
    }

    /**
     * After a restart with the control plane down, says once that the view may be stale, and by how
     * much (the metric {@code zoneplane_config_cache_stale_seconds} and the health detail say it too).
     */
    void warnOnceIfStale(long servedRevision) {
        Instant written = servingCacheOf;
        if (written != null && !staleCacheLogged) {
            staleCacheLogged = true;
            log.warn("the control plane cannot be reached: serving the disk cache of revision {}, written {} ({} s ago); "
                    + "the view may be stale by that much", servedRevision, written,
                    Duration.between(written, Instant.now()).toSeconds());
        }
    }

    /** Seconds since the disk-cache view being served was written, while the control plane has not answered since start; else 0. */
    double staleSeconds() {
        Instant written = servingCacheOf;
        return written == null ? 0 : Math.max(0, Duration.between(written, Instant.now()).toMillis() / 1000.0);
    }

    /** The {@code config} entry of the node's health details. */
    String staleness(long servedRevision) {
        Instant written = servingCacheOf;
        return written == null ? "ok"
                : String.format(Locale.ROOT, "stale: serving the disk cache of revision %d written at %s (%.0f s ago); "
                        + "the control plane has not answered since start", servedRevision, written, staleSeconds());
    }

    /** A snapshot replaced the view: written even at an unchanged revision, since it replaces what the cache held. */
    void replaced() {
        persistedRevision = -1;
    }

    /** Writes {@code current} unless it is already written; {@code holdsRefusedZones} marks zones kept after refusals. */
    void persist(ZoneView current, boolean holdsRefusedZones) {
        if (current.revision() == persistedRevision) {
            return;
        }
        try {
            cache.save(current);
            cache.holdsRefusedZones(holdsRefusedZones);
            persistedRevision = current.revision();
            generation = ViewCache.Generation.NEWEST;
            if (writeFailure != null) {
                writeFailure = null;
                metrics.cacheDegraded(false);
                log.info("the disk cache {} is written again (revision {})", cache.file(), current.revision());
            }
        } catch (IOException | RuntimeException e) {
            metrics.cacheWriteFailures.increment();
            if (writeFailure == null) {
                // Once per outage: the node keeps serving from memory and retries every persist interval.
                log.warn("could not write the disk cache {}: {}; serving from memory, retrying every {} "
                        + "(zoneplane_config_cache_write_failures_total counts the attempts)", cache.file(),
                        ConfigSubscriber.describe(e), persistInterval);
                metrics.cacheDegraded(true);
            }
            writeFailure = ConfigSubscriber.describe(e);
        }
    }

    /** The {@code disk_cache} entry of the node's health details. */
    String healthDetail() {
        String failure = writeFailure;
        if (failure != null) {
            return "degraded: cannot write " + cache.file() + ": " + failure + " (serving from memory)";
        }
        return generation == ViewCache.Generation.PREVIOUS
                ? "degraded: the newest cache file was damaged or missing at start; the previous generation was loaded"
                : "ok";
    }
}
