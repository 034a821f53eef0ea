package zoneplane.dataplane.logpush.kafka;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A Kafka {@code destination_conf}, parsed with the grammar the control plane validates
 * ({@code zoneplane.controlplane.logpush.Destination}):
 * {@code kafka://host:port[,host:port]/topic?tls=true|false&sasl_mechanism=PLAIN|SCRAM-SHA-256|SCRAM-SHA-512&sasl_username=…&sasl_password=…&compression=none|gzip|snappy|lz4|zstd&client_id=…}.
 * Option names and values are percent-decoded as the control plane's {@code QueryParameter} does
 * ({@code +} is a space); anything else is refused with {@link IllegalArgumentException} naming what
 * is wrong (never a secret value). {@link #toString()} masks the password.
 *
 * @param brokers the bootstrap brokers, in order, at least one
 * @param topic the topic every record goes to
 * @param tls whether connections use TLS (the JVM's trust store, host names verified)
 * @param sasl the SASL login, or null for none ({@link #login()})
 * @param compression the producer's {@code compression.type}: none (default), gzip, snappy, lz4, zstd
 * @param clientId the producer's {@code client.id}, or null for Kafka's own ({@link #producerClientId()})
 */
public record KafkaDestinationConf(List<Broker> brokers, String topic, boolean tls, SaslLogin sasl, String compression,
        String clientId) {

    private static final String SCHEME = "kafka://";
    private static final int MAX_LENGTH = 4096;
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");
    private static final Pattern BROKER_HOST = Pattern.compile("[A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}]");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
    private static final Map<String, Pattern> OPTIONS = new TreeMap<>(Map.of(
            "tls", Pattern.compile("true|false"),
            "sasl_mechanism", Pattern.compile("PLAIN|SCRAM-SHA-256|SCRAM-SHA-512"),
            "sasl_username", Pattern.compile("[^\\x00-\\x1f]{1,256}"),
            "sasl_password", Pattern.compile("[^\\x00-\\x1f]{1,1024}"),
            "compression", Pattern.compile("none|gzip|snappy|lz4|zstd"),
            "client_id", Pattern.compile("[A-Za-z0-9._-]{1,128}")));

    public KafkaDestinationConf {
        brokers = List.copyOf(brokers);
        if (brokers.isEmpty()) {
            throw new IllegalArgumentException("a Kafka destination names at least one broker");
        }
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(compression, "compression");
    }

    /** One bootstrap broker as written: {@code host} is a name, an IPv4 literal or a bracketed IPv6 literal. */
    public record Broker(String host, int port) {

        /** The host as a resolver takes it: an IPv6 literal without its brackets. */
        public String resolvableHost() {
            return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /** A SASL login; {@link #toString()} never shows the password. */
    public record SaslLogin(String mechanism, String username, String password) {
        @Override
        public String toString() {
            return "SaslLogin[" + mechanism + ", username=" + username + ", password=*****]";
        }
    }

    /** The SASL login, if the destination has one. */
    public Optional<SaslLogin> login() {
        return Optional.ofNullable(sasl);
    }

    /** The {@code client.id} the destination asked for, if any. */
    public Optional<String> producerClientId() {
        return Optional.ofNullable(clientId);
    }

    /** The brokers as Kafka's {@code bootstrap.servers} takes them. */
    public String bootstrapServers() {
        return String.join(",", brokers.stream().map(Broker::toString).toList());
    }

    /** {@code conf} parsed, or {@link IllegalArgumentException} saying what is wrong with it. */
    public static KafkaDestinationConf parse(String conf) {
        if (conf == null || conf.isBlank()) {
            throw new IllegalArgumentException("destination_conf is required");
        }
        if (conf.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("destination_conf is longer than " + MAX_LENGTH + " characters");
        }
        if (!conf.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw new IllegalArgumentException("a Kafka destination starts with kafka://");
        }
        String rest = conf.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("a Kafka destination is kafka://host:port[,host:port]/topic?…");
        }
        List<Broker> brokers = new ArrayList<>();
        for (String broker : rest.substring(0, slash).split(",", -1)) {
            brokers.add(broker(broker));
        }
        String path = rest.substring(slash + 1);
        int question = path.indexOf('?');
        String topic = question < 0 ? path : path.substring(0, question);
        if (!TOPIC.matcher(topic).matches()) {
            throw new IllegalArgumentException("a Kafka topic is 1-249 letters, digits, '.', '_' or '-'");
        }
        Map<String, String> options = options(question < 0 ? "" : path.substring(question + 1));
        boolean mechanism = options.containsKey("sasl_mechanism");
        if (mechanism != options.containsKey("sasl_username") || mechanism != options.containsKey("sasl_password")) {
            throw new IllegalArgumentException("Kafka SASL needs sasl_mechanism, sasl_username and sasl_password together");
        }
        SaslLogin sasl = mechanism
                ? new SaslLogin(options.get("sasl_mechanism"), options.get("sasl_username"), options.get("sasl_password"))
                : null;
        return new KafkaDestinationConf(brokers, topic, Boolean.parseBoolean(options.get("tls")), sasl,
                options.getOrDefault("compression", "none"), options.get("client_id"));
    }

    private static Broker broker(String broker) {
        int colon = broker.lastIndexOf(':');
        String host = colon > 0 ? broker.substring(0, colon) : "";
        String port = colon > 0 ? broker.substring(colon + 1) : "";
        if (!BROKER_HOST.matcher(host).matches() || !PORT.matcher(port).matches() || Integer.parseInt(port) < 1
                || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException("each Kafka broker is host:port (an IPv6 address in brackets): " + shorten(broker));
        }
        return new Broker(host.toLowerCase(Locale.ROOT), Integer.parseInt(port));
    }

    private static Map<String, String> options(String query) {
        Map<String, String> options = new TreeMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = decode(equals < 0 ? "" : pair.substring(equals + 1));
            Pattern allowed = OPTIONS.get(name);
            if (allowed == null) {
                throw new IllegalArgumentException("unknown Kafka option " + shorten(name) + ": expected "
                        + String.join(", ", OPTIONS.keySet()));
            }
            if (!allowed.matcher(value).matches() || options.put(name, value) != null) {
                throw new IllegalArgumentException("Kafka option " + name + " is invalid or given twice");
            }
        }
        return options;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("destination_conf has a malformed percent-encoding");
        }
    }

    private static String shorten(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "…" : text;
    }

    @Override
    public String toString() {
        return "KafkaDestinationConf[kafka://" + bootstrapServers() + "/" + topic + ", tls=" + tls + ", sasl="
                + (sasl == null ? "none" : sasl) + ", compression=" + compression
                + (clientId == null ? "" : ", client_id=" + clientId) + "]";
    }
}
