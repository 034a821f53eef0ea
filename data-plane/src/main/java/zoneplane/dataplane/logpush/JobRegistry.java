package zoneplane.dataplane.logpush;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zoneplane.dataplane.subscriber.Backoff;
import zoneplane.dataplane.usage.ExchangeRecord;
import zoneplane.model.wire.LogpushJobs;
import zoneplane.model.wire.LogpushReport;

/**
 * The jobs this node delivers and their pipelines, by job id: {@link #apply} starts a pipeline for each new
 * job, reconfigures a changed one (same spool and totals: what it had spooled goes to the job's new
 * destination) and stops a removed one (deleting its spool: the owner deleted or paused the job). Routes each drained record to the
 * pipelines of its zone. Used by the logpush thread only.
 */
final class JobRegistry {

    private static final Logger log = LoggerFactory.getLogger(JobRegistry.class);

    private final Map<Long, JobPipeline> pipelines = new LinkedHashMap<>();
    private Map<String, List<JobPipeline>> byZone = Map.of();
    private final LogpushSettings settings;
    private final DestinationFactory destinations;
    private final Path spoolRoot;
    private final Clock clock;
    private final Executor logpushThread;
    private final LogpushCounters counters;
    private final LogpushListener listener;

    JobRegistry(LogpushSettings settings, DestinationFactory destinations, Path spoolRoot, Clock clock,
            Executor logpushThread, LogpushCounters counters, LogpushListener listener) {
        this.settings = settings;
        this.destinations = destinations;
        this.spoolRoot = spoolRoot;
        this.clock = clock;
        this.logpushThread = logpushThread;
        this.counters = counters;
        this.listener = listener;
    }

    /** The feed's jobs of {@code dataset} http_requests become the node's. */
    void apply(LogpushJobs jobs) {
        Map<Long, LogpushJobs.Job> wanted = new LinkedHashMap<>();
        for (LogpushJobs.Job job : jobs.jobs()) {
            if (zoneplane.model.logpush.HttpRequestsField.DATASET.equals(job.dataset())) {
                wanted.put(job.id(), job);
            }
        }
        for (var it = pipelines.entrySet().iterator(); it.hasNext();) {
            var entry = it.next();
            LogpushJobs.Job now = wanted.get(entry.getKey());
            LogpushJobs.Job before = entry.getValue().job();
            if (now == null) {
                entry.getValue().close(true);
                it.remove();
                log.info("logpush: job {} removed", entry.getKey());
            } else if (!now.equals(before)) {
                boolean newDestination = !now.destinationConf().equals(before.destinationConf())
                        || !now.outputOptions().equals(before.outputOptions());
                entry.getValue().reconfigure(now, newDestination ? destinations.create(now) : null);
                log.info("logpush: job {} changed", now);
            }
        }
        for (LogpushJobs.Job job : wanted.values()) {
            pipelines.computeIfAbsent(job.id(), id -> start(job));
        }
        Map<String, List<JobPipeline>> zones = new HashMap<>();
        pipelines.values().forEach(p -> zones.computeIfAbsent(p.job().zoneId(), z -> new ArrayList<>()).add(p));
        byZone = zones;
        counters.jobs.set(pipelines.size());
        listener.zones(zones.keySet());
    }

    private JobPipeline start(LogpushJobs.Job job) {
        DestinationFactory.Choice choice = destinations.create(job);
        JobSpool spool = new JobSpool(spoolRoot.resolve("job-" + job.id()), settings.spoolMaxBytes(),
                settings.spoolMaxAge(), clock);
        if (choice.refusal() != null) {
            log.warn("logpush: job {} is not delivered by this node: {}", job.id(), choice.refusal());
        } else {
            log.info("logpush: delivering job {} to {}", job, choice.destination());
        }
        return new JobPipeline(job, choice.destination(), choice.refusal(), spool,
                new Backoff(settings.retryMin(), settings.retryMax()), clock, logpushThread, counters);
    }

    void route(ExchangeRecord record) {
        List<JobPipeline> jobs = byZone.get(record.zoneId());
        if (jobs != null) {
            for (JobPipeline job : jobs) {
                job.offer(record);
            }
        }
    }

    void tick() {
        pipelines.values().forEach(JobPipeline::tick);
    }

    /** Every open batch to its spool (shutdown), then deliveries go on until {@link #settled}. */
    void sealAll() {
        pipelines.values().forEach(JobPipeline::seal);
    }

    boolean settled() {
        return pipelines.values().stream().allMatch(JobPipeline::settled);
    }

    void closeAll() {
        pipelines.values().forEach(p -> p.close(false));
        pipelines.clear();
    }

    /** The sum of the pipelines' outcome versions and their count: moves whenever a report would differ. */
    long version() {
        long version = pipelines.size();
        for (JobPipeline p : pipelines.values()) {
            version = version * 31 + p.job().id() + p.version();
        }
        return version;
    }

    List<LogpushReport.JobOutcome> outcomes() {
        return pipelines.values().stream().map(JobPipeline::outcome).toList();
    }
}
