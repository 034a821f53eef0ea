package zoneplane.controlplane.logpush;

import java.util.ArrayList;
import java.util.List;
import zoneplane.controlplane.api.JsonBody;
import zoneplane.model.logpush.HttpRequestsField;
import zoneplane.model.logpush.OutputOptions;
import zoneplane.model.logpush.TimestampFormat;

/**
 * Cloudflare's deprecated {@code logpull_options} string ({@code fields=ClientIP,RayID&timestamps=rfc3339&sample=0.1&CVE-2021-44228=true},
 * optionally with the Logpull URL before a {@code ?}), read into the {@link OutputOptions} it
 * means, so that jobs written for it and {@code POST …/logpush/validate/origin} keep working.
 * Unknown parameters are refused with 400 naming them.
 */
final class LogpullOptions {

    private LogpullOptions() {}

    static OutputOptions read(String options, OutputOptions base) {
        String query = options.contains("?") ? options.substring(options.indexOf('?') + 1) : options;
        List<HttpRequestsField> fields = base.fieldNames();
        TimestampFormat format = base.timestampFormat();
        double sample = base.sampleRate();
        boolean cve = base.cve202144228();
        List<QueryParameter> parameters;
        try {
            parameters = QueryParameter.parse(query);
        } catch (IllegalArgumentException e) {
            throw JsonBody.invalid("logpull_options has a malformed percent-encoding");
        }
        for (QueryParameter parameter : parameters) {
            String name = parameter.name();
            String value = parameter.value();
            switch (name) {
                case "fields" -> fields = fields(value);
                case "timestamps" -> format = TimestampFormat.fromWire(value).orElseThrow(() -> JsonBody.invalid(
                        "logpull_options timestamps must be one of " + TimestampFormat.allowed()));
                case "sample" -> sample = sample(value);
                case "CVE-2021-44228" -> cve = Boolean.parseBoolean(value);
                default -> throw JsonBody.invalid("logpull_options: unknown parameter '" + (name.length() > 64 ? name.substring(0, 64) : name)
                        + "' (expected fields, timestamps, sample, CVE-2021-44228)");
            }
        }
        return new OutputOptions(fields, format, sample, base.batchPrefix(), base.batchSuffix(), base.recordPrefix(),
                base.recordSuffix(), base.recordDelimiter(), cve);
    }

    private static List<HttpRequestsField> fields(String value) {
        List<HttpRequestsField> fields = new ArrayList<>();
        for (String name : value.split(",")) {
            HttpRequestsField field = OutputOptionsJson.field(name);
            if (fields.contains(field)) {
                throw JsonBody.invalid("logpull_options fields lists " + name + " twice");
            }
            fields.add(field);
        }
        return fields;
    }

    private static double sample(String value) {
        try {
            double rate = Double.parseDouble(value);
            if (rate > 0 && rate <= 1) {
                return rate;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw JsonBody.invalid("logpull_options sample must be a number more than 0 and at most 1");
    }
}
