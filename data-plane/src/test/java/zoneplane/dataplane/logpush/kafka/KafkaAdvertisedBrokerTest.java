package zoneplane.dataplane.logpush.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static zoneplane.dataplane.logpush.kafka.KafkaTestBroker.batch;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import zoneplane.dataplane.logpush.LogDeliveryException;
import zoneplane.model.ProhibitedAddresses;

/**
 * A cluster whose bootstrap broker passes the address check but which advertises a broker at an address
 * the policy refuses (a hostile tenant's cluster pointing the node at its own network): the batch is
 * refused before anything is produced. The broker listens on localhost and advertises 127.0.0.2; the
 * policy stands in for the public-only rule by refusing 127.0.0.2 alone, so the bootstrap can be loopback.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KafkaAdvertisedBrokerTest {

    private static EmbeddedKafkaKraftBroker broker;
    private static final BrokerAddressPolicy REFUSES_127_0_0_2 = address -> address.getHostAddress().equals("127.0.0.2")
            ? ProhibitedAddresses.reason(address) : Optional.empty();

    @BeforeAll
    static void startBroker() {
        broker = KafkaTestBroker.start(1, Map.of("advertised.listeners", "EXTERNAL://127.0.0.2:0"));
        KafkaTestBroker.createTopics(broker, new org.apache.kafka.clients.admin.NewTopic("logs", 1, (short) 1));
    }

    @AfterAll
    static void stopBroker() {
        broker.destroy();
    }

    @Test
    void aBatchIsRefusedWhenTheClusterAdvertisesAProhibitedBroker() throws Exception {
        String port = broker.getBrokersAsString().substring(broker.getBrokersAsString().lastIndexOf(':') + 1);
        try (KafkaDestination destination = KafkaDestination.open("kafka://127.0.0.1:" + port + "/logs", REFUSES_127_0_0_2,
                Duration.ofSeconds(10))) {
            LogDeliveryException failure = KafkaDestinationTest.failure(destination.deliver(batch("zone-h", List.of("h1", "h2"))));

            assertThat(failure.retryable()).isFalse();
            assertThat(failure).hasMessage("Kafka advertised broker 127.0.0.2 is a prohibited address 127.0.0.2"
                    + " (loopback (127.0.0.0/8)); a log destination must be public");
        }
        Long stored = broker.doWithAdminFunction(admin -> {
            try {
                var partition = new org.apache.kafka.common.TopicPartition("logs", 0);
                return admin.listOffsets(Map.of(partition, org.apache.kafka.clients.admin.OffsetSpec.latest()))
                        .partitionResult(partition).get(10, TimeUnit.SECONDS).offset();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(stored).as("records the broker stored").isZero();
    }
}
