package zoneplane.controlplane.logpush;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.api.JsonBody;
import zoneplane.model.logpush.HttpRequestsField;
import zoneplane.model.logpush.OutputOptions;
import zoneplane.model.logpush.TimestampFormat;

/**
 * {@code output_options} in Cloudflare's JSON shape, both ways: {@link #read} applies a request's
 * (or the stored) object to a base, member by member, a JSON null or an omitted member keeping the
 * base's value, and refuses unknown members, unknown fields, formats other than Cloudflare's four,
 * output types other than ndjson and sample rates outside (0, 1] with 400 naming the member;
 * {@link #write} is the object the API answers and the database keeps.
 */
final class OutputOptionsJson {

    static final String CVE = "CVE-2021-44228";
    private static final Set<String> MEMBERS = Set.of("field_names", "timestamp_format", "sample_rate", "output_type",
            "batch_prefix", "batch_suffix", "record_prefix", "record_suffix", "record_delimiter", CVE);

    private OutputOptionsJson() {}

    static OutputOptions read(JsonNode node, OutputOptions base) {
        if (node == null || node.isNull()) {
            return base;
        }
        JsonBody.of(node, MEMBERS);
        List<HttpRequestsField> fields = present(node, "field_names") ? fields(node.get("field_names")) : base.fieldNames();
        TimestampFormat format = base.timestampFormat();
        if (present(node, "timestamp_format")) {
            String wire = text(node, "timestamp_format");
            format = TimestampFormat.fromWire(wire).orElseThrow(() -> JsonBody.invalid(
                    "output_options.timestamp_format must be one of " + TimestampFormat.allowed()));
        }
        if (present(node, "output_type") && !OutputOptions.OUTPUT_TYPE.equals(text(node, "output_type"))) {
            throw JsonBody.invalid("output_options.output_type must be ndjson (the only output type Zoneplane writes)");
        }
        double sample = base.sampleRate();
        if (present(node, "sample_rate")) {
            JsonNode rate = node.get("sample_rate");
            if (!rate.isNumber() || !(rate.doubleValue() > 0 && rate.doubleValue() <= 1)) {
                throw JsonBody.invalid("output_options.sample_rate must be a number more than 0 and at most 1");
            }
            sample = rate.doubleValue();
        }
        boolean cve = base.cve202144228();
        if (present(node, CVE)) {
            if (!node.get(CVE).isBoolean()) {
                throw JsonBody.invalid("output_options." + CVE + " must be true or false");
            }
            cve = node.get(CVE).booleanValue();
        }
        try {
            return new OutputOptions(fields, format, sample, decoration(node, "batch_prefix", base.batchPrefix()),
                    decoration(node, "batch_suffix", base.batchSuffix()), decoration(node, "record_prefix", base.recordPrefix()),
                    decoration(node, "record_suffix", base.recordSuffix()),
                    decoration(node, "record_delimiter", base.recordDelimiter()), cve);
        } catch (IllegalArgumentException e) {
            throw JsonBody.invalid("output_options: " + e.getMessage());
        }
    }

    static Map<String, Object> write(OutputOptions options) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("field_names", options.fieldNames().stream().map(HttpRequestsField::fieldName).toList());
        out.put("timestamp_format", options.timestampFormat().wire());
        out.put("sample_rate", options.sampleRate());
        out.put("output_type", OutputOptions.OUTPUT_TYPE);
        out.put("batch_prefix", options.batchPrefix());
        out.put("batch_suffix", options.batchSuffix());
        out.put("record_prefix", options.recordPrefix());
        out.put("record_suffix", options.recordSuffix());
        out.put("record_delimiter", options.recordDelimiter());
        out.put(CVE, options.cve202144228());
        return out;
    }

    /** Field names as Cloudflare spells them, each once, at least one. */
    static List<HttpRequestsField> fields(JsonNode names) {
        if (!names.isArray() || names.isEmpty()) {
            throw JsonBody.invalid("output_options.field_names must be a non-empty array of field names");
        }
        List<HttpRequestsField> fields = new ArrayList<>();
        for (JsonNode name : names) {
            fields.add(field(name.isString() ? name.stringValue() : String.valueOf(name)));
        }
        if (new TreeSet<>(fields).size() != fields.size()) {
            throw JsonBody.invalid("output_options.field_names lists a field twice");
        }
        return fields;
    }

    static HttpRequestsField field(String name) {
        return HttpRequestsField.named(name).orElseThrow(() -> JsonBody.invalid("'" + (name.length() > 64 ? name.substring(0, 64) + "…" : name)
                + "' is not a field of the " + HttpRequestsField.DATASET + " dataset (GET …/logpush/datasets/http_requests/fields lists them)"));
    }

    private static boolean present(JsonNode node, String member) {
        return node.has(member) && !node.get(member).isNull();
    }

    private static String text(JsonNode node, String member) {
        if (!node.get(member).isString()) {
            throw JsonBody.invalid("output_options." + member + " must be a string");
        }
        return node.get(member).stringValue();
    }

    private static String decoration(JsonNode node, String member, String base) {
        return present(node, member) ? text(node, member) : base;
    }
}
