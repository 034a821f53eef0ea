package zoneplane.controlplane.logpush;

import java.util.Objects;
import zoneplane.model.logpush.HttpRequestsField;
import zoneplane.model.logpush.LogpushFilter;
import zoneplane.model.logpush.OutputOptions;

/**
 * What a job's owner chooses, validated: everything of a job but its id, zone, dataset, times and
 * delivery status. {@code name} is null when the job has none; a {@code max_upload_*} of 0 leaves
 * the limit to the node. {@code destinationConf} is the full text, secrets included.
 */
record JobSettings(String name, String destinationConf, boolean enabled, OutputOptions outputOptions, LogpushFilter filter,
        long maxUploadBytes, long maxUploadRecords, long maxUploadIntervalSeconds) {

    JobSettings {
        Objects.requireNonNull(destinationConf, "destinationConf");
        Objects.requireNonNull(outputOptions, "outputOptions");
        Objects.requireNonNull(filter, "filter");
    }

    /** A new job's settings before the request applies: disabled, Cloudflare's default output. */
    static JobSettings initial(String destinationConf) {
        return new JobSettings(null, destinationConf, false, OutputOptions.defaults(HttpRequestsField.DEFAULT_FIELDS),
                LogpushFilter.ALL, 0, 0, 0);
    }

    @Override
    public String toString() {
        return "JobSettings[" + name + ", enabled=" + enabled + ", " + outputOptions.fieldNames().size() + " fields]";
    }
}
