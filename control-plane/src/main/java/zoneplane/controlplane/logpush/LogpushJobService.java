package zoneplane.controlplane.logpush;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.account.AccountScope;
import zoneplane.controlplane.api.ApiErrorCode;
import zoneplane.controlplane.api.ApiException;
import zoneplane.controlplane.audit.AuditAction;
import zoneplane.controlplane.audit.AuditEvent;
import zoneplane.controlplane.audit.AuditTrail;
import zoneplane.controlplane.zone.Zone;
import zoneplane.controlplane.zone.ZoneRepository;

/**
 * A zone's Logpush jobs: create, read, update, delete, each change in one transaction with its
 * audit row (old and new job, destination masked). Changes lock the zone first, as every zone
 * change does, so the per-zone job limit holds under concurrent creates. The caller has passed the
 * zone's gate (tenancy, then {@code logs:read} / {@code logs:edit}); the zone is looked up in the
 * caller's scope again, so a deleted zone answers 404.
 */
@Service
class LogpushJobService {

    private final ZoneRepository zones;
    private final LogpushJobRepository jobs;
    private final AuditTrail audit;
    private final LogpushProperties properties;
    private final Clock clock = Clock.systemUTC();

    LogpushJobService(ZoneRepository zones, LogpushJobRepository jobs, AuditTrail audit, LogpushProperties properties) {
        this.zones = zones;
        this.jobs = jobs;
        this.audit = audit;
        this.properties = properties;
    }

    @Transactional
    LogpushJobView create(AccountScope scope, String zoneId, JsonNode body) {
        Zone zone = zones.requireLocked(scope, zoneId);
        LogpushJobRequest request = LogpushJobRequest.of(body);
        JobSettings settings = request.applyTo(JobSettings.initial(request.requiredDestination()), null,
                properties.allowPrivateDestinations());
        if (jobs.count(zone.id()) >= properties.maxJobsPerZone()) {
            throw new ApiException(ApiErrorCode.LOGPUSH_JOB_LIMIT, "This zone already has " + properties.maxJobsPerZone()
                    + " Logpush jobs, the most the operator allows; delete one first");
        }
        LogpushJob job = jobs.insert(zone.id(), settings);
        audit.record(event(zone, AuditAction.LOGPUSH_JOB_CREATED).values(null, describe(job)));
        return view(job, DeliveryStatus.NONE);
    }

    @Transactional
    LogpushJobView update(AccountScope scope, String zoneId, String jobId, JsonNode body) {
        Zone zone = zones.requireLocked(scope, zoneId);
        LogpushJob before = jobs.find(zone.id(), id(jobId), true).orElseThrow(LogpushJobService::notFound);
        String shown = Destination.parse(before.settings().destinationConf(), true).masked();
        JobSettings settings = LogpushJobRequest.of(body).applyTo(before.settings(), shown, properties.allowPrivateDestinations());
        if (settings.equals(before.settings())) {
            return view(before, status(before));
        }
        LogpushJob after = jobs.update(zone.id(), before.id(), settings).orElseThrow(LogpushJobService::notFound);
        audit.record(event(zone, AuditAction.LOGPUSH_JOB_EDITED).values(describe(before), describe(after)));
        return view(after, status(after));
    }

    @Transactional
    long delete(AccountScope scope, String zoneId, String jobId) {
        Zone zone = zones.requireLocked(scope, zoneId);
        LogpushJob job = jobs.find(zone.id(), id(jobId), true).orElseThrow(LogpushJobService::notFound);
        jobs.delete(zone.id(), job.id());
        audit.record(event(zone, AuditAction.LOGPUSH_JOB_DELETED).values(describe(job), null));
        return job.id();
    }

    LogpushJobView get(AccountScope scope, String zoneId, String jobId) {
        Zone zone = zones.require(scope, zoneId);
        LogpushJob job = jobs.find(zone.id(), id(jobId), false).orElseThrow(LogpushJobService::notFound);
        return view(job, status(job));
    }

    List<LogpushJobView> list(AccountScope scope, String zoneId) {
        Zone zone = zones.require(scope, zoneId);
        List<LogpushJob> all = jobs.list(zone.id());
        Map<Long, List<DeliveryStatus.NodeDelivery>> deliveries = jobs.deliveries(all.stream().map(LogpushJob::id).toList());
        return all.stream().map(job -> view(job, DeliveryStatus.merge(deliveries.getOrDefault(job.id(), List.of()), freshSince())))
                .toList();
    }

    /** The zone must exist in the caller's scope (validation endpoints and the field list name one). */
    void requireZone(AccountScope scope, String zoneId) {
        zones.require(scope, zoneId);
    }

    private DeliveryStatus status(LogpushJob job) {
        return DeliveryStatus.merge(jobs.deliveries(List.of(job.id())).getOrDefault(job.id(), List.of()), freshSince());
    }

    private java.time.Instant freshSince() {
        return clock.instant().minus(properties.statusWindow());
    }

    private static LogpushJobView view(LogpushJob job, DeliveryStatus status) {
        return LogpushJobView.of(job, Destination.parse(job.settings().destinationConf(), true).masked(), status);
    }

    private static AuditEvent event(Zone zone, AuditAction action) {
        return AuditEvent.of(zone.accountId(), action).zone(zone.id());
    }

    /** What the audit log keeps of a job: its settings with the destination masked, never a secret. */
    private static Map<String, Object> describe(LogpushJob job) {
        LogpushJobView view = view(job, DeliveryStatus.NONE);
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("id", view.id());
        description.put("name", view.name());
        description.put("dataset", view.dataset());
        description.put("destination_conf", view.destinationConf());
        description.put("enabled", view.enabled());
        description.put("output_options", view.outputOptions());
        description.put("filter", view.filter());
        description.put("max_upload_bytes", view.maxUploadBytes());
        description.put("max_upload_records", view.maxUploadRecords());
        description.put("max_upload_interval_seconds", view.maxUploadIntervalSeconds());
        return description;
    }

    /** Job ids are positive integers; anything else names no job. */
    private static long id(String jobId) {
        if (jobId == null || !jobId.matches("[1-9][0-9]{0,17}")) {
            throw notFound();
        }
        return Long.parseLong(jobId);
    }

    private static ApiException notFound() {
        return new ApiException(ApiErrorCode.LOGPUSH_JOB_NOT_FOUND, "Logpush job not found");
    }
}
