package zoneplane.dataplane.logpush;

import java.util.Locale;
import java.util.Objects;
import reactor.netty.http.client.HttpClient;
import zoneplane.model.wire.LogpushJobs;

/**
 * Chooses a job's {@link LogDestination} by the scheme of its {@code destination_conf}: {@code https://} (and
 * {@code http://} where the operator allows private destinations) is Cloudflare's {@link HttpDestination};
 * {@code kafka://} is Zoneplane's Kafka destination ({@link #kafka}). A destination this node cannot serve is
 * not an error of the node: the job is refused with a message for its owner ({@link Choice#refusal}).
 */
final class DestinationFactory {

    /** What a kafka:// job reports while this node has no Kafka destination. */
    static final String KAFKA_UNSUPPORTED = "kafka destinations are not supported by this node";

    private final HttpClient http;
    private final boolean allowPrivate;

    /** A job's destination, or why the node does not deliver the job. Exactly one is non-null. */
    record Choice(LogDestination destination, String refusal) {
        static Choice refused(String why) {
            return new Choice(null, Objects.requireNonNull(why));
        }
    }

    /**
     * @param http the node's logpush HTTP client (its own event loop; a resolver that refuses prohibited
     *     addresses unless {@code allowPrivate})
     */
    DestinationFactory(HttpClient http, boolean allowPrivate) {
        this.http = http;
        this.allowPrivate = allowPrivate;
    }

    Choice create(LogpushJobs.Job job) {
        String conf = job.destinationConf();
        int colon = conf.indexOf(':');
        String scheme = colon < 0 ? "" : conf.substring(0, colon).toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "https", "http" -> http(job, scheme);
            case "kafka" -> kafka(job);
            default -> Choice.refused("destination scheme '" + (scheme.length() > 16 ? scheme.substring(0, 16) : scheme)
                    + "' is not supported by this node (https, kafka)");
        };
    }

    private Choice http(LogpushJobs.Job job, String scheme) {
        if (scheme.equals("http") && !allowPrivate) {
            return Choice.refused("plain http:// destinations are not allowed by this node; use https://");
        }
        try {
            return new Choice(new HttpDestination(HttpDestinationConf.parse(job.destinationConf()), job.outputOptions(), http),
                    null);
        } catch (IllegalArgumentException invalid) {
            return Choice.refused(invalid.getMessage());
        }
    }

    /**
     * The {@code kafka://} destination. The lead wires {@code zoneplane.dataplane.logpush.kafka.KafkaDestination}
     * here when that branch merges; until then a Kafka job is refused with {@link #KAFKA_UNSUPPORTED}.
     */
    Choice kafka(LogpushJobs.Job job) {
        return Choice.refused(KAFKA_UNSUPPORTED);
    }
}
