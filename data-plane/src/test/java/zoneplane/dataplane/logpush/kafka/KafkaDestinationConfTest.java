package zoneplane.dataplane.logpush.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The destination_conf grammar, as the control plane validates it, and the producer settings it maps to. */
class KafkaDestinationConfTest {

    @Test
    void everyOptionIsParsedAndPercentDecoded() {
        KafkaDestinationConf conf = KafkaDestinationConf.parse("kafka://Kafka-1.example.net:9093,[2001:db8::1]:9094/edge.logs_v1"
                + "?tls=true&sasl_mechanism=SCRAM-SHA-512&sasl_username=edge%40zone&sasl_password=p%26ss+word%22&compression=zstd&client_id=edge-7");

        assertThat(conf.brokers()).containsExactly(new KafkaDestinationConf.Broker("kafka-1.example.net", 9093),
                new KafkaDestinationConf.Broker("[2001:db8::1]", 9094));
        assertThat(conf.brokers().get(1).resolvableHost()).isEqualTo("2001:db8::1");
        assertThat(conf.bootstrapServers()).isEqualTo("kafka-1.example.net:9093,[2001:db8::1]:9094");
        assertThat(conf.topic()).isEqualTo("edge.logs_v1");
        assertThat(conf.tls()).isTrue();
        assertThat(conf.login()).contains(new KafkaDestinationConf.SaslLogin("SCRAM-SHA-512", "edge@zone", "p&ss word\""));
        assertThat(conf.compression()).isEqualTo("zstd");
        assertThat(conf.producerClientId()).contains("edge-7");
        assertThat(ProducerSettings.securityProtocol(conf)).isEqualTo("SASL_SSL");
    }

    @Test
    void defaultsArePlaintextUncompressedWithoutLogin() {
        KafkaDestinationConf conf = KafkaDestinationConf.parse("KAFKA://broker.example.net:9092/logs");

        assertThat(conf.tls()).isFalse();
        assertThat(conf.login()).isEmpty();
        assertThat(conf.compression()).isEqualTo("none");
        assertThat(conf.producerClientId()).isEmpty();
        assertThat(ProducerSettings.securityProtocol(conf)).isEqualTo("PLAINTEXT");
        assertThat(ProducerSettings.securityProtocol(KafkaDestinationConf.parse("kafka://b.example:1/t?tls=true"))).isEqualTo("SSL");
        assertThat(ProducerSettings.securityProtocol(KafkaDestinationConf.parse(
                "kafka://b.example:1/t?sasl_mechanism=PLAIN&sasl_username=u&sasl_password=p"))).isEqualTo("SASL_PLAINTEXT");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "https://logs.example.net/ingest                          | starts with kafka://",
        "kafka://                                                 | kafka://host:port",
        "kafka:///logs                                            | kafka://host:port",
        "kafka://broker.example.net/logs                          | each Kafka broker is host:port",
        "kafka://broker.example.net:0/logs                        | each Kafka broker is host:port",
        "kafka://broker.example.net:65536/logs                    | each Kafka broker is host:port",
        "kafka://broker.example.net:9092,/logs                    | each Kafka broker is host:port",
        "kafka://bro_ker.example.net:9092/logs                    | each Kafka broker is host:port",
        "kafka://2001:db8::1:9092/logs                            | each Kafka broker is host:port",
        "kafka://user@broker.example.net:9092/logs                | each Kafka broker is host:port",
        "kafka://broker.example.net:9092/                         | a Kafka topic is",
        "kafka://broker.example.net:9092/lo/gs                    | a Kafka topic is",
        "kafka://broker.example.net:9092/logs?acks=0              | unknown Kafka option acks",
        "kafka://broker.example.net:9092/logs?tls=yes             | Kafka option tls is invalid",
        "kafka://broker.example.net:9092/logs?tls=true&tls=false  | Kafka option tls is invalid or given twice",
        "kafka://broker.example.net:9092/logs?compression=brotli  | Kafka option compression is invalid",
        "kafka://broker.example.net:9092/logs?client_id=a%20b     | Kafka option client_id is invalid",
        "kafka://broker.example.net:9092/logs?sasl_mechanism=GSSAPI&sasl_username=u&sasl_password=p | Kafka option sasl_mechanism is invalid",
        "kafka://broker.example.net:9092/logs?sasl_mechanism=PLAIN&sasl_username=u | together",
        "kafka://broker.example.net:9092/logs?sasl_username=u&sasl_password=p      | together",
        "kafka://broker.example.net:9092/logs?sasl_mechanism=PLAIN&sasl_username=u&sasl_password=a%0Ab | Kafka option sasl_password is invalid",
        "kafka://broker.example.net:9092/logs?tls=%zz             | malformed percent-encoding",
    })
    void invalidDestinationsAreRefusedWithAClearMessage(String conf, String message) {
        assertThatThrownBy(() -> KafkaDestinationConf.parse(conf)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " "})
    void aMissingDestinationIsRefused(String conf) {
        assertThatThrownBy(() -> KafkaDestinationConf.parse(conf)).hasMessage("destination_conf is required");
        assertThatThrownBy(() -> KafkaDestinationConf.parse("kafka://b.example:1/" + "t".repeat(4096))).hasMessageContaining("longer than 4096");
    }

    @Test
    void thePasswordIsNeverShown() {
        String conf = "kafka://broker.example.net:9092/logs?sasl_mechanism=PLAIN&sasl_username=edge&sasl_password=hunter2-secret";
        KafkaDestinationConf parsed = KafkaDestinationConf.parse(conf);

        assertThat(parsed.toString()).contains("edge", "PLAIN", "*****").doesNotContain("hunter2-secret");
        assertThat(KafkaDestination.open(conf, BrokerAddressPolicy.publicOnly()).toString()).doesNotContain("hunter2-secret");
        assertThatThrownBy(() -> KafkaDestinationConf.parse(conf + "&sasl_password=hunter2-secret"))
                .message().doesNotContain("hunter2-secret");
    }

    /** Kafka's own JAAS parser reads back exactly the user name and password, whatever quotes and backslashes they hold. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "PLAIN         | org.apache.kafka.common.security.plain.PlainLoginModule",
        "SCRAM-SHA-256 | org.apache.kafka.common.security.scram.ScramLoginModule",
    })
    void theJaasConfigHoldsTheLoginVerbatim(String mechanism, String module) {
        String username = "ed\"ge\\";
        String password = "p\"; evil=\"x\\\" \\\\ ';";
        String jaas = ProducerSettings.jaasConfig(new KafkaDestinationConf.SaslLogin(mechanism, username, password));

        JaasContext context = JaasContext.loadClientContext(java.util.Map.of(SaslConfigs.SASL_JAAS_CONFIG, new Password(jaas)));
        List<javax.security.auth.login.AppConfigurationEntry> entries = context.configurationEntries();

        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).getLoginModuleName()).isEqualTo(module);
        java.util.Map<String, Object> options = new java.util.HashMap<>(entries.get(0).getOptions());
        assertThat(options).containsOnlyKeys("username", "password")
                .containsEntry("username", username).containsEntry("password", password);
    }

    @Test
    void aValueLosesOnlyItsTrailingNewline() {
        assertThat(KafkaDestination.value("{\"a\":1}\n".getBytes())).isEqualTo("{\"a\":1}".getBytes());
        assertThat(KafkaDestination.value("{\"a\":1}\r\n".getBytes())).isEqualTo("{\"a\":1}".getBytes());
        assertThat(KafkaDestination.value("{\"a\":1}\n\n".getBytes())).isEqualTo("{\"a\":1}\n".getBytes());
        assertThat(KafkaDestination.value("x\ry".getBytes())).isEqualTo("x\ry".getBytes());
        assertThat(KafkaDestination.value(new byte[0])).isEmpty();
    }
}
