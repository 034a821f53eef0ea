package zoneplane.dataplane.support;

import java.util.Arrays;
import java.util.List;
import zoneplane.model.logpush.HttpRequestsField;
import zoneplane.model.logpush.LogpushFilter;
import zoneplane.model.logpush.OutputOptions;
import zoneplane.model.logpush.TimestampFormat;
import zoneplane.model.wire.LogpushJobs;

/** Logpush jobs as the control plane's feed hands them to a node, for the tests that run one through a real node. */
public final class LogpushFixtures {

    private LogpushFixtures() {}

    /** An {@code http_requests} job of {@code zoneId}, batches of up to 1000 records or 1 s. */
    public static LogpushJobs.Job job(long id, String zoneId, OutputOptions options, String filter, String destination) {
        return new LogpushJobs.Job(id, zoneId, HttpRequestsField.DATASET, destination, options, LogpushFilter.parse(filter), 0,
                1000, 1);
    }

    /** NDJSON of {@code fields} in {@code format}, every record kept. */
    public static OutputOptions options(TimestampFormat format, HttpRequestsField... fields) {
        OutputOptions d = OutputOptions.defaults(List.of(fields));
        return new OutputOptions(d.fieldNames(), format, 1.0, "", "", d.recordPrefix(), d.recordSuffix(), "", false);
    }

    /** The dataset's names of {@code fields}, in order. */
    public static List<String> names(HttpRequestsField... fields) {
        return Arrays.stream(fields).map(HttpRequestsField::fieldName).toList();
    }
}
