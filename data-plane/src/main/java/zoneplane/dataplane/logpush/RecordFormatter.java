package zoneplane.dataplane.logpush;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import tools.jackson.core.io.JsonStringEncoder;
import zoneplane.dataplane.usage.ExchangeRecord;
import zoneplane.model.logpush.FieldType;
import zoneplane.model.logpush.HttpRequestsField;
import zoneplane.model.logpush.OutputOptions;

/**
 * Writes one record as a job's {@link OutputOptions} ask, Cloudflare's NDJSON layout: {@code record_prefix},
 * then {@code "Field":value} for each of {@code field_names} in their order, joined by {@code ,}, then
 * {@code record_suffix}. Strings are JSON-escaped; numbers are JSON numbers; timestamps are numbers for
 * {@code unixnano} / {@code unix} and UTC strings for {@code rfc3339} ({@code 2026-12-07T14:05:03Z}) and
 * {@code rfc3339ms} ({@code 2026-12-07T14:05:03.123Z}, always three digits). With {@code CVE-2021-44228}
 * on, every {@code ${} of the line is written {@code x{}, as Cloudflare documents the option, so a
 * Log4j lookup in a header cannot reach a receiver's logger. One instance per job, used by the logpush
 * thread only (it reuses its buffer).
 */
final class RecordFormatter {

    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter RFC3339MS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final OutputOptions options;
    private final StringBuilder line = new StringBuilder(1024);

    RecordFormatter(OutputOptions options) {
        this.options = options;
    }

    /** The record's line, UTF-8. */
    byte[] format(RecordValues values) {
        StringBuilder out = line;
        out.setLength(0);
        out.append(options.recordPrefix());
        boolean first = true;
        for (HttpRequestsField field : options.fieldNames()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append('"').append(field.fieldName()).append("\":");
            if (field.type() == FieldType.STRING) {
                string(out, values.text(field));
            } else if (field.type() == FieldType.INT) {
                out.append(values.number(field));
            } else {
                timestamp(out, values, field);
            }
        }
        out.append(options.recordSuffix());
        String text = out.toString();
        if (options.cve202144228()) {
            text = text.replace("${", "x{");
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The line of {@code record} under these options. */
    byte[] format(ExchangeRecord record) {
        return format(new RecordValues(record, options.timestampFormat()));
    }

    private void timestamp(StringBuilder out, RecordValues values, HttpRequestsField field) {
        Instant instant = field == HttpRequestsField.EDGE_START_TIMESTAMP ? values.record().edgeStart()
                : values.record().edgeEnd();
        switch (options.timestampFormat()) {
            case UNIXNANO, UNIX -> out.append(values.number(field));
            case RFC3339 -> out.append('"').append(RFC3339.format(instant.truncatedTo(ChronoUnit.SECONDS))).append('"');
            case RFC3339MS -> out.append('"').append(RFC3339MS.format(instant)).append('"');
        }
    }

    private static void string(StringBuilder out, String value) {
        out.append('"');
        JsonStringEncoder.getInstance().quoteAsString(value, out);
        out.append('"');
    }
}
