package zoneplane.controlplane.distribution;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import zoneplane.controlplane.database.NotificationSubscriber;

/**
 * All change streams of this replica. Streams are servlet-async ({@link ResponseBodyEmitter}): an
 * idle stream holds no thread. A fixed pool of {@code stream-workers} writes to all of them; a new
 * revision from the {@link RevisionClock} and the heartbeat timer only signal streams, which then
 * drain on that pool. Stopping the hub ends every stream so nodes move to another replica.
 *
 * <p>The in-memory tail never outlives the database's truth: a repaired {@code change_log} row
 * (an UPDATE, NOTIFYed on {@value #REPAIRS_CHANNEL}) empties it, and so does every (re)connection of
 * the LISTEN connection, during whose absence a repair could have gone unheard.
 */
@Component
public class ChangeStreamHub implements SmartLifecycle, NotificationSubscriber {

    /** NOTIFYed by the {@code change_log} UPDATE trigger (V35) with the repaired revision. */
    static final String REPAIRS_CHANNEL = "zoneplane_change_repairs";

    private static final Logger log = LoggerFactory.getLogger(ChangeStreamHub.class);

    private final Set<ChangeStream> streams = ConcurrentHashMap.newKeySet();
    private final ChangeTail tail;
    private final RevisionClock clock;
    private final DistributionProperties properties;
    private volatile ExecutorService workers;
    private volatile ScheduledExecutorService timer;
    private volatile boolean running;

    public ChangeStreamHub(ChangeLogStore store, RevisionClock clock, DistributionProperties properties,
            MeterRegistry meters) {
        this.tail = new ChangeTail(store, properties.tailSize());
        this.clock = clock;
        this.properties = properties;
        clock.onAdvance(this::wakeAll);
        clock.onRewind(this::databaseWentBack);
        Gauge.builder("zoneplane.distribution.stream.subscribers", streams, Set::size)
                .description("Open change streams (data-plane nodes subscribed to this replica)")
                .register(meters);
    }

    /** Opens a stream of the changes after {@code after}; the caller has checked it is retained. */
    public ResponseBodyEmitter open(long after) {
        ResponseBodyEmitter emitter = new ResponseBodyEmitter(properties.streamLifetime().toMillis());
        ChangeStream[] holder = new ChangeStream[1];
        ChangeStream stream = new ChangeStream(emitter, after, tail, clock, task -> workers.execute(task),
                () -> streams.remove(holder[0]));
        holder[0] = stream;
        emitter.onCompletion(stream::closedByContainer);
        emitter.onError(e -> stream.closedByContainer());
        emitter.onTimeout(stream::close);
        streams.add(stream);
        stream.signal();
        return emitter;
    }

    public int subscribers() {
        return streams.size();
    }

    @Override
    public String channel() {
        return REPAIRS_CHANNEL;
    }

    @Override
    public void listening() {
        tail.reset();
    }

    @Override
    public void deaf() {
        tail.reset();
    }

    @Override
    public void notified(String payload) {
        log.info("change {} was repaired in the database: dropping the in-memory change tail", payload);
        tail.reset();
    }

    private void wakeAll() {
        streams.forEach(ChangeStream::signal);
    }

    /**
     * The database is at an older revision than streams have sent: what they sent is gone from it, and
     * the revisions that follow will be different changes. Every stream ends; its node reconnects, is
     * told 410 (ahead of the control plane) and takes a snapshot.
     */
    private void databaseWentBack(long revision) {
        tail.reset();
        streams.forEach(stream -> stream.end("the configuration database went back to revision " + revision
                + "; take a snapshot"));
    }

    /** Executors are made per start: the test framework (and a refresh) may stop and restart the hub. */
    @Override
    public synchronized void start() {
        workers = Executors.newFixedThreadPool(properties.streamWorkers(), daemon("zoneplane-stream-"));
        timer = Executors.newSingleThreadScheduledExecutor(daemon("zoneplane-stream-heartbeat-"));
        long period = properties.heartbeatInterval().toMillis();
        timer.scheduleAtFixedRate(() -> streams.forEach(ChangeStream::heartbeat), period, period, TimeUnit.MILLISECONDS);
        running = true;
    }

    @Override
    public synchronized void stop() {
        running = false;
        timer.shutdownNow();
        streams.forEach(ChangeStream::close);
        workers.shutdown();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stop before the web server's graceful shutdown phase so open streams do not hold it up. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public String toString() {
        return "ChangeStreamHub{streams=" + streams.size() + ", workers=" + properties.streamWorkers()
                + ", heartbeat=" + properties.heartbeatInterval() + "}";
    }
}
