package zoneplane.model.logpush;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * How a job writes its records ({@code output_options}), with every value filled in: the fields in
 * the order they are written, the timestamp format, the share of records kept
 * ({@code sample_rate}, more than 0 and at most 1, applied after the filter), and the text
 * around batches and records. Output is NDJSON, Cloudflare's default layout: a record is
 * {@code record_prefix} + {@code "Field":value} pairs joined by {@code ,} + {@code record_suffix},
 * records are joined by {@code record_delimiter}, and a batch is wrapped in {@code batch_prefix} /
 * {@code batch_suffix}. With {@code CVE-2021-44228} on, every {@code ${} in the output becomes
 * {@code x{}.
 */
public record OutputOptions(List<HttpRequestsField> fieldNames, TimestampFormat timestampFormat, double sampleRate,
        String batchPrefix, String batchSuffix, String recordPrefix, String recordSuffix, String recordDelimiter,
        boolean cve202144228) {

    public static final String OUTPUT_TYPE = "ndjson";
    public static final String DEFAULT_RECORD_PREFIX = "{";
    public static final String DEFAULT_RECORD_SUFFIX = "}\n";
    /** Longest prefix, suffix or delimiter text. */
    public static final int MAX_DECORATION = 1024;

    /** Cloudflare's defaults for an NDJSON job with these fields. */
    public static OutputOptions defaults(List<HttpRequestsField> fields) {
        return new OutputOptions(fields, TimestampFormat.UNIXNANO, 1.0, "", "", DEFAULT_RECORD_PREFIX,
                DEFAULT_RECORD_SUFFIX, "", false);
    }

    public OutputOptions {
        Objects.requireNonNull(timestampFormat, "timestampFormat");
        if (fieldNames.isEmpty()) {
            throw new IllegalArgumentException("field_names needs at least one field");
        }
        if (new LinkedHashSet<>(fieldNames).size() != fieldNames.size()) {
            throw new IllegalArgumentException("field_names lists a field twice");
        }
        fieldNames = List.copyOf(fieldNames);
        if (!(sampleRate > 0 && sampleRate <= 1)) {
            throw new IllegalArgumentException("sample_rate must be more than 0 and at most 1");
        }
        for (String text : new String[] {batchPrefix, batchSuffix, recordPrefix, recordSuffix, recordDelimiter}) {
            Objects.requireNonNull(text, "decoration");
            if (text.length() > MAX_DECORATION) {
                throw new IllegalArgumentException("prefixes, suffixes and delimiters are at most " + MAX_DECORATION + " characters");
            }
        }
    }
}
