package zoneplane.dataplane.logpush;

import java.util.Locale;
import java.util.Objects;
import reactor.netty.http.client.HttpClient;
import zoneplane.model.wire.LogpushJobs;

/**
 * Chooses a job's {@link LogDestination} by the scheme of its {@code destination_conf}: {@code https://} (and
 * {@code http://} where the operator allows private destinations) is Cloudflare's {@link HttpDestination};
 * {@code kafka://} is Zoneplane's Kafka destination (opened by the node's {@link DestinationOpener}). A destination this node cannot serve is
 * not an error of the node: the job is refused with a message for its owner ({@link Choice#refusal}).
 */
final class DestinationFactory {

    private final HttpClient http;
    private final boolean allowPrivate;
    private final DestinationOpener kafka;

    /** A job's destination, or why the node does not deliver the job. Exactly one is non-null. */
    record Choice(LogDestination destination, String refusal) {
        static Choice refused(String why) {
            return new Choice(null, Objects.requireNonNull(why));
        }
    }

    /**
     * @param http the node's logpush HTTP client (its own event loop; a resolver that refuses prohibited
     *     addresses unless {@code allowPrivate})
     * @param kafka opens {@code kafka://} destinations
     */
    DestinationFactory(HttpClient http, boolean allowPrivate, DestinationOpener kafka) {
        this.http = http;
        this.allowPrivate = allowPrivate;
        this.kafka = kafka;
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

    private Choice kafka(LogpushJobs.Job job) {
        try {
            return new Choice(kafka.open(job.destinationConf(), allowPrivate), null);
        } catch (IllegalArgumentException invalid) {
            return Choice.refused(invalid.getMessage());
        }
    }
}
