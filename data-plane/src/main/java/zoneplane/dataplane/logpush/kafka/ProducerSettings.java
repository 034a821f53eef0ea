package zoneplane.dataplane.logpush.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.MetadataRecoveryStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.security.plain.PlainLoginModule;
import org.apache.kafka.common.security.scram.ScramLoginModule;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The producer configuration of a Kafka destination: idempotent ({@code enable.idempotence=true},
 * {@code acks=all}, so a retried send is not written twice and records of a partition stay in order),
 * bounded in time ({@code delivery.timeout.ms} per record, {@code max.block.ms} for a send waiting on
 * metadata), TLS with the JVM's trust store and host-name verification, SASL PLAIN or SCRAM. The
 * password only travels in {@code sasl.jaas.config}, a Kafka {@code Password} that Kafka's config log
 * prints as {@code [hidden]}.
 */
final class ProducerSettings {

    /** Records sent within this time travel in one produce request. */
    private static final Duration LINGER = Duration.ofMillis(5);

    private ProducerSettings() {}

    /**
     * The producer's properties.
     *
     * @param deliveryTimeout how long a record may take from send to acknowledgement, retries included;
     *     a send blocked on metadata waits at most half of it
     */
    static Map<String, Object> of(KafkaDestinationConf conf, Duration deliveryTimeout) {
        long delivery = deliveryTimeout.toMillis();
        Map<String, Object> settings = new HashMap<>();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, conf.bootstrapServers());
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, conf.compression());
        settings.put(ProducerConfig.LINGER_MS_CONFIG, (int) LINGER.toMillis());
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1, delivery / 3));
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) delivery);
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, delivery / 2);
        settings.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 5_000);
        // Kafka's default (rebootstrap) resolves the bootstrap names again when every known broker is
        // gone, long after BrokerAddressCheck looked at them: a rebound name would go unchecked.
        settings.put(CommonClientConfigs.METADATA_RECOVERY_STRATEGY_CONFIG, MetadataRecoveryStrategy.NONE.name);
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        conf.producerClientId().ifPresent(id -> settings.put(ProducerConfig.CLIENT_ID_CONFIG, id));
        settings.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, securityProtocol(conf));
        conf.login().ifPresent(login -> {
            settings.put(SaslConfigs.SASL_MECHANISM, login.mechanism());
            settings.put(SaslConfigs.SASL_JAAS_CONFIG, jaasConfig(login));
        });
        return settings;
    }

    static String securityProtocol(KafkaDestinationConf conf) {
        boolean sasl = conf.login().isPresent();
        if (conf.tls()) {
            return sasl ? "SASL_SSL" : "SSL";
        }
        return sasl ? "SASL_PLAINTEXT" : "PLAINTEXT";
    }

    /**
     * The JAAS line for {@code login}. Kafka reads it with a {@code StreamTokenizer}: inside a quoted
     * value a backslash escapes the next character, so backslashes and quotes are escaped and no value
     * can end the quote early or add options (control characters never reach here: the grammar refuses them).
     */
    static String jaasConfig(KafkaDestinationConf.SaslLogin login) {
        String module = login.mechanism().equals("PLAIN") ? PlainLoginModule.class.getName() : ScramLoginModule.class.getName();
        return module + " required username=\"" + quoted(login.username()) + "\" password=\"" + quoted(login.password()) + "\";";
    }

    private static String quoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
