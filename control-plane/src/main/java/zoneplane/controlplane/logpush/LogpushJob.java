package zoneplane.controlplane.logpush;

import java.time.Instant;
import zoneplane.model.logpush.HttpRequestsField;
import zoneplane.model.wire.LogpushJobs;

/** A stored job: its id, zone and settings (destination in full). */
record LogpushJob(long id, String zoneId, JobSettings settings, Instant createdOn, Instant modifiedOn) {

    /** The job as nodes read it in the feed. */
    LogpushJobs.Job forNodes() {
        return new LogpushJobs.Job(id, zoneId, HttpRequestsField.DATASET, settings.destinationConf(), settings.outputOptions(),
                settings.filter(), settings.maxUploadBytes(), settings.maxUploadRecords(), settings.maxUploadIntervalSeconds());
    }

    @Override
    public String toString() {
        return "LogpushJob[" + id + ", zone " + zoneId + ", " + settings + "]";
    }
}
