package zoneplane.dataplane.usage;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zoneplane.dataplane.geo.CountryDatabase;
import zoneplane.dataplane.geo.TorExitNodes;

/**
 * A node's usage pipeline, assembled: the {@link ExchangeHook} the request paths call, the
 * {@link UsageAccounting} listening on it, and (when there is a control plane) the {@link UsageSpool}
 * and {@link UsageShipper}, all driven by one daemon thread that closes each minute shortly after the
 * clock passes it. {@link #close()} (graceful shutdown, after the listeners drained and before the event
 * loops stop) flushes the open minute and gives the shipper a few seconds to deliver what is spooled;
 * the rest stays spooled for the next start.
 */
public final class NodeUsage implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NodeUsage.class);
    /** How often the usage thread looks at the clock for a closed minute. */
    static final Duration TICK = Duration.ofMillis(250);
    private static final Duration FLUSH_LIMIT = Duration.ofSeconds(5);

    private final ExchangeHook hook;
    private final ScheduledExecutorService usageThread;
    private final UsageAccounting accounting;
    private final UsageShipper shipper;

    private NodeUsage(ExchangeHook hook, ScheduledExecutorService usageThread, UsageAccounting accounting,
            UsageShipper shipper) {
        this.hook = hook;
        this.usageThread = usageThread;
        this.accounting = accounting;
        this.shipper = shipper;
    }

    /**
     * @param spoolDir where unshipped minutes wait (under the node's cache directory)
     * @param nodeToken the node's control-plane credential (needed when {@link UsageSettings#shipping()})
     * @param others the hook's other listeners (Logpush), called after usage accounting
     */
    public static NodeUsage start(UsageSettings settings, String nodeId, String nodeToken, Path spoolDir,
            EventLoopGroup loops, Clock clock, MeterRegistry registry, CountryDatabase countries,
            TorExitNodes torExits, List<ExchangeListener> others) {
        if (!settings.enabled()) {
            return new NodeUsage(new ExchangeHook(others, clock, nodeId, countries, torExits), null, null, null);
        }
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
                new DefaultThreadFactory("zoneplane-usage-" + nodeId, true));
        UsageShipper shipper = null;
        if (settings.shipping()) {
            UsageSpool spool = openSpool(spoolDir, settings, clock);
            // this process's name in its reports: a restart within a minute reports that minute anew
            String instance = java.util.UUID.randomUUID().toString();
            shipper = new UsageShipper(nodeId, instance, settings.targets(), nodeToken, spool, settings.batchMinutes(),
                    settings.maxReportBytes(), settings.retryMin(), settings.retryMax(), thread);
            UsageMetrics.bind(registry, shipper, spool);
            thread.execute(shipper::shipNext); // what an earlier run left spooled
        }
        UsageShipper sink = shipper;
        UsageAccounting accounting = new UsageAccounting(loops, clock, settings.groupLimit(), thread,
                sink != null ? sink : minutes -> log.debug("usage: {} zone-minute(s) closed, shipping off", minutes.size()));
        thread.scheduleWithFixedDelay(accounting::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
        List<ExchangeListener> listeners = new java.util.ArrayList<>(List.of(accounting));
        listeners.addAll(others);
        return new NodeUsage(new ExchangeHook(listeners, clock, nodeId, countries, torExits), thread,
                accounting, shipper);
    }

    /**
     * The spool in {@code dir}; when that cannot be created (a read-only or broken cache directory, which
     * the node survives for its view cache too) a private temporary directory instead, so the node still
     * starts and ships: what waits there is lost if the node stops before it is delivered.
     */
    private static UsageSpool openSpool(Path dir, UsageSettings settings, Clock clock) {
        try {
            return new UsageSpool(dir, settings.spoolMaxBytes(), settings.spoolMaxAge(), clock);
        } catch (UncheckedIOException unusable) {
            try {
                Path fallback = Files.createTempDirectory("zoneplane-usage-spool-");
                log.warn("usage: cannot use the spool {} ({}); spooling in {} instead, which does not outlive this"
                        + " process", dir, unusable.getCause(), fallback);
                return new UsageSpool(fallback, settings.spoolMaxBytes(), settings.spoolMaxAge(), clock);
            } catch (IOException | UncheckedIOException e) {
                throw new IllegalStateException("cannot create a usage spool in " + dir + " nor a temporary one", e);
            }
        }
    }

    public ExchangeHook hook() {
        return hook;
    }

    /** Exchange records and WebSocket upgrades accounted so far (0 when accounting is off); waits up to 5 s. */
    public long recorded() {
        if (accounting == null) {
            return 0;
        }
        try {
            return accounting.recorded().get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the event loops did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** Flushes the open minute and ships what is spooled for up to a few seconds, then stops. Idempotent. */
    @Override
    public void close() {
        if (usageThread == null || usageThread.isShutdown()) {
            return;
        }
        long deadline = System.nanoTime() + FLUSH_LIMIT.toNanos();
        try {
            CompletableFuture<Void> flushed = CompletableFuture
                    .supplyAsync(() -> accounting.closeThrough(accounting.currentMinute()), usageThread)
                    .thenCompose(f -> f);
            flushed.get(FLUSH_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            while (shipper != null && System.nanoTime() < deadline
                    && !CompletableFuture.supplyAsync(shipper::settled, usageThread).get()) {
                Thread.sleep(50);
            }
        } catch (ExecutionException | TimeoutException e) {
            log.warn("usage: the open minute could not be flushed at shutdown: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            usageThread.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "NodeUsage{" + (accounting == null ? "off" : accounting + ", " + (shipper == null ? "shipping off" : shipper)) + "}";
    }
}
