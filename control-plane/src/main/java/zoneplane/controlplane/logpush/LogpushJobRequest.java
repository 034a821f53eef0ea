package zoneplane.controlplane.logpush;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.api.JsonBody;
import zoneplane.model.logpush.HttpRequestsField;
import zoneplane.model.logpush.LogpushFilter;
import zoneplane.model.logpush.OutputOptions;
import zoneplane.model.wire.WireFormatException;

/**
 * The body of {@code POST} / {@code PUT …/logpush/jobs}, in Cloudflare's shape, validated and
 * applied to a job's settings: a member that is omitted keeps the current value (a PUT changes what
 * it names, as Cloudflare's does), {@code name} or {@code filter} null removes it, a
 * {@code max_upload_*} null resets it to 0 (the node's default). {@code destination_conf} is
 * checked by {@link Destination} against the operator's rules, and a destination sent back exactly
 * as the API showed it (masked) keeps the stored one and its secrets. Accepted for Cloudflare
 * clients and otherwise ignored: {@code ownership_challenge} (Zoneplane does not ask for one: the
 * control plane never writes to destinations), {@code frequency} (deprecated), {@code kind} "".
 */
final class LogpushJobRequest {

    private static final Set<String> MEMBERS = Set.of("name", "dataset", "destination_conf", "enabled", "output_options",
            "logpull_options", "filter", "max_upload_bytes", "max_upload_records", "max_upload_interval_seconds",
            "ownership_challenge", "frequency", "kind", "filter_attack_traffic");
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9.-]{1,512}");

    private final JsonBody body;
    private final JsonNode raw;

    private LogpushJobRequest(JsonNode raw) {
        this.body = JsonBody.of(raw, MEMBERS);
        this.raw = raw;
        body.optionalText("dataset").filter(d -> !d.equals(HttpRequestsField.DATASET)).ifPresent(d -> {
            throw JsonBody.invalid("dataset must be " + HttpRequestsField.DATASET + " (the dataset of Zoneplane's zones)");
        });
        body.optionalText("kind").filter(k -> !k.isEmpty()).ifPresent(k -> {
            throw JsonBody.invalid("kind must be \"\" (Logpush); Edge Log Delivery is not offered");
        });
        body.optionalText("frequency").filter(f -> !f.equals("high") && !f.equals("low")).ifPresent(f -> {
            throw JsonBody.invalid("frequency must be high or low (deprecated: use max_upload_*)");
        });
        body.optionalText("ownership_challenge");
        if (body.optionalBoolean("filter_attack_traffic").orElse(false)) {
            throw JsonBody.invalid("filter_attack_traffic is not supported: the edge does not classify attack traffic");
        }
    }

    static LogpushJobRequest of(JsonNode body) {
        return new LogpushJobRequest(body);
    }

    /** The destination_conf of a creation (required there). */
    String requiredDestination() {
        return body.requiredText("destination_conf");
    }

    /**
     * The settings after this request: {@code current} with what the request names changed.
     * {@code shownDestination} is the stored destination as the API shows it (masked).
     */
    JobSettings applyTo(JobSettings current, String shownDestination, boolean allowPrivate) {
        String destination = current.destinationConf();
        Optional<String> requested = body.optionalText("destination_conf");
        if (requested.isPresent() && !requested.get().equals(shownDestination)) {
            Destination parsed = Destination.parse(requested.get(), allowPrivate);
            if (parsed.holdsMask()) {
                throw JsonBody.invalid("destination_conf holds a masked value (" + Destination.MASK
                        + "): send the secret in full, or the destination exactly as shown to keep it");
            }
            destination = parsed.conf();
        } else if (requested.isEmpty() && body.has("destination_conf")) {
            throw JsonBody.invalid("destination_conf cannot be null");
        }
        return new JobSettings(name(current.name()), destination, body.optionalBoolean("enabled").orElse(current.enabled()),
                output(current.outputOptions()), filter(current.filter()),
                limit("max_upload_bytes", current.maxUploadBytes(), 5_000_000, 1_000_000_000),
                limit("max_upload_records", current.maxUploadRecords(), 1_000, 1_000_000),
                limit("max_upload_interval_seconds", current.maxUploadIntervalSeconds(), 30, 300));
    }

    private String name(String current) {
        if (!body.has("name")) {
            return current;
        }
        Optional<String> name = body.optionalText("name");
        if (name.isPresent() && !NAME.matcher(name.get()).matches()) {
            throw JsonBody.invalid("name must be 1-512 letters, digits, '.' or '-' (Cloudflare's rule)");
        }
        return name.filter(n -> !n.isEmpty()).orElse(null);
    }

    private OutputOptions output(OutputOptions current) {
        JsonNode options = raw.get("output_options");
        if (options != null && !options.isNull()) {
            if (!options.isObject()) {
                throw JsonBody.invalid("Field 'output_options' must be an object");
            }
            return OutputOptionsJson.read(options, current);
        }
        return body.optionalText("logpull_options").map(o -> LogpullOptions.read(o, current)).orElse(current);
    }

    /** Cloudflare sends the filter as a JSON string; an object is taken too. */
    private LogpushFilter filter(LogpushFilter current) {
        JsonNode filter = raw.get("filter");
        if (filter == null) {
            return current;
        }
        if (!filter.isNull() && !filter.isString() && !filter.isObject()) {
            throw JsonBody.invalid("filter must be Cloudflare's filter JSON, as a string");
        }
        try {
            return LogpushFilter.parse(filter.isNull() ? null : filter.isString() ? filter.stringValue() : filter.toString());
        } catch (WireFormatException e) {
            throw JsonBody.invalid("filter: " + e.getMessage());
        }
    }

    private long limit(String member, long current, long min, long max) {
        if (!body.has(member)) {
            return current;
        }
        JsonNode value = raw.get(member);
        if (value.isNull()) {
            return 0;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()
                || (value.longValue() != 0 && (value.longValue() < min || value.longValue() > max))) {
            throw JsonBody.invalid(member + " must be 0 (the node's default) or between " + min + " and " + max);
        }
        return value.longValue();
    }
}
