package zoneplane.dataplane.logpush;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelOption;
import io.netty.resolver.DefaultAddressResolverGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
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
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;
import zoneplane.dataplane.origin.PublicOriginResolvers;
import zoneplane.dataplane.usage.ExchangeListener;
import zoneplane.dataplane.usage.ExchangeRecord;

/**
 * A node's Logpush, assembled (issue 23): the {@link LogpushListener} on the exchange hook, one logpush
 * thread that drains it every {@link #DRAIN} into the {@link JobRegistry}'s pipelines, follows the
 * {@link JobFeed} and sends {@link OutcomeReporter} reports every poll interval, and one HTTP client with its
 * own event loop for the HTTP destinations. Nothing of it runs on, or waits for, a proxy event loop.
 * {@link #close} (graceful shutdown, once visitors drained) spools every open batch and gives deliveries and
 * the last report up to the given time; what is left stays spooled for the next start.
 */
public final class NodeLogpush implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NodeLogpush.class);
    /** How often the logpush thread drains the hand-off queue and checks batch intervals and retries. */
    static final Duration DRAIN = Duration.ofMillis(20);

    private final LogpushListener listener;
    private final ScheduledExecutorService thread;
    private final JobRegistry registry;
    private final OutcomeReporter reporter;
    private final LoopResources loops;
    private final ConnectionProvider connections;

    private NodeLogpush(LogpushListener listener, ScheduledExecutorService thread, JobRegistry registry,
            OutcomeReporter reporter, LoopResources loops, ConnectionProvider connections) {
        this.listener = listener;
        this.thread = thread;
        this.registry = registry;
        this.reporter = reporter;
        this.loops = loops;
        this.connections = connections;
    }

    /** Off when {@link LogpushSettings#active()} is false: no listener, no thread. */
    public static NodeLogpush start(LogpushSettings settings, String nodeId, String nodeToken, Path spoolRoot,
            Clock clock, MeterRegistry meters, DestinationOpener kafka) {
        if (!settings.active()) {
            return new NodeLogpush(null, null, null, null, null, null);
        }
        LogpushCounters counters = new LogpushCounters();
        LogpushListener listener = new LogpushListener(settings.queueCapacity(), counters);
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
                new DefaultThreadFactory("zoneplane-logpush-" + nodeId, true));
        LoopResources loops = LoopResources.create("zoneplane-logpush-http", 1, true);
        ConnectionProvider connections = ConnectionProvider.builder("zoneplane-logpush").maxConnections(64)
                .pendingAcquireMaxCount(1024).maxIdleTime(Duration.ofSeconds(30)).build();
        HttpClient http = HttpClient.create(connections).runOn(loops)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .responseTimeout(HttpDestination.TIMEOUT);
        if (!settings.allowPrivateDestinations()) {
            http = http.resolver(PublicOriginResolvers.checking(DefaultAddressResolverGroup.INSTANCE));
        }
        JobRegistry registry = new JobRegistry(settings, new DestinationFactory(http, settings.allowPrivateDestinations(), kafka),
                spoolRoot(spoolRoot), clock, thread, counters, listener);
        ControlPlaneCalls calls = new ControlPlaneCalls(settings.targets(), nodeToken);
        JobFeed feed = new JobFeed(calls, thread, registry::apply);
        OutcomeReporter reporter = new OutcomeReporter(calls, nodeId, clock.instant(), registry, thread);
        LogpushMetrics.bind(meters, counters);
        thread.scheduleWithFixedDelay(() -> guarded(() -> drain(listener, registry)), DRAIN.toMillis(), DRAIN.toMillis(),
                TimeUnit.MILLISECONDS);
        long poll = settings.pollInterval().toMillis();
        thread.scheduleWithFixedDelay(() -> guarded(feed::poll), 0, poll, TimeUnit.MILLISECONDS);
        thread.scheduleWithFixedDelay(() -> guarded(reporter::report), poll, poll, TimeUnit.MILLISECONDS);
        return new NodeLogpush(listener, thread, registry, reporter, loops, connections);
    }

    private static void drain(LogpushListener listener, JobRegistry registry) {
        ExchangeRecord record;
        while ((record = listener.poll()) != null) {
            registry.route(record);
        }
        registry.tick();
    }

    /** A scheduled task that throws would never run again: log and go on. */
    private static void guarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.warn("logpush: {}", e.toString(), e);
        }
    }

    /** The spool root; a private temporary directory when it cannot be created (what waits there dies with the process). */
    private static Path spoolRoot(Path root) {
        try {
            return Files.createDirectories(root);
        } catch (IOException unusable) {
            try {
                Path fallback = Files.createTempDirectory("zoneplane-logpush-spool-");
                log.warn("logpush: cannot use the spool {} ({}); spooling in {} instead, which does not outlive this process",
                        root, unusable.toString(), fallback);
                return fallback;
            } catch (IOException e) {
                throw new IllegalStateException("cannot create a logpush spool in " + root + " nor a temporary one", e);
            }
        }
    }

    /** The listeners for the exchange hook: none when Logpush is off. */
    public List<ExchangeListener> listeners() {
        return listener == null ? List.of() : List.of(listener);
    }

    /**
     * Spools every open batch, then lets deliveries and the last report go on for up to {@code limit}; stops.
     * Idempotent.
     */
    public void close(Duration limit) {
        if (thread == null || thread.isShutdown()) {
            return;
        }
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            run(() -> {
                drain(listener, registry);
                registry.sealAll();
            }).get(limit.toMillis(), TimeUnit.MILLISECONDS);
            while (System.nanoTime() < deadline && !CompletableFuture.supplyAsync(() -> {
                reporter.report();
                return registry.settled() && reporter.current();
            }, thread).get()) {
                Thread.sleep(50);
            }
            run(registry::closeAll).get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.warn("logpush: open batches could not be flushed at shutdown: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            thread.shutdownNow();
            connections.disposeLater().block(Duration.ofSeconds(2));
            loops.disposeLater(Duration.ZERO, Duration.ofSeconds(1)).block(Duration.ofSeconds(3));
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    private CompletableFuture<Void> run(Runnable task) {
        return CompletableFuture.runAsync(task, thread);
    }

    @Override
    public String toString() {
        return "NodeLogpush{" + (thread == null ? "off" : listener) + "}";
    }
}
