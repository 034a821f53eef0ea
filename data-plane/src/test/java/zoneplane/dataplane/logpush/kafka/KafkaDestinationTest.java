package zoneplane.dataplane.logpush.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static zoneplane.dataplane.logpush.kafka.KafkaTestBroker.batch;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.Level;
import org.slf4j.LoggerFactory;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import zoneplane.dataplane.logpush.LogBatch;
import zoneplane.dataplane.logpush.LogDeliveryException;

/** The Kafka destination against a real broker, read back with a real consumer. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class KafkaDestinationTest {

    private static EmbeddedKafkaKraftBroker broker;
    private static String bootstrap;

    @BeforeAll
    static void startBroker() {
        broker = KafkaTestBroker.start(3, Map.of());
        bootstrap = broker.getBrokersAsString();
        List<NewTopic> topics = new ArrayList<>(List.of(new NewTopic("logs", 3, (short) 1),
                new NewTopic("small", 1, (short) 1).configs(Map.of("max.message.bytes", "2048"))));
        for (String topic : List.of("logs-down", "logs-none", "logs-gzip", "logs-snappy", "logs-lz4", "logs-zstd")) {
            topics.add(new NewTopic(topic, 3, (short) 1));
        }
        KafkaTestBroker.createTopics(broker, topics.toArray(NewTopic[]::new));
    }

    @AfterAll
    static void stopBroker() {
        broker.destroy();
    }

    private static KafkaDestination destination(String topicAndOptions) {
        return KafkaDestination.open("kafka://" + bootstrap + "/" + topicAndOptions, BrokerAddressPolicy.anyAddress(),
                Duration.ofSeconds(10));
    }

    @Test
    void everyLineIsOneRecordKeyedByItsZoneInOrder() throws Exception {
        List<String> zoneA = lines("a", 200);
        List<String> zoneB = lines("b", 150);
        try (KafkaDestination destination = destination("logs?client_id=edge-test")) {
            CompletableFuture<Void> first = destination.deliver(batch("zone-a", zoneA.subList(0, 100)));
            CompletableFuture<Void> second = destination.deliver(batch("zone-b", zoneB));
            CompletableFuture<Void> third = destination.deliver(batch("zone-a", zoneA.subList(100, 200)));
            CompletableFuture.allOf(first, second, third).get(30, TimeUnit.SECONDS);
        }

        List<ConsumerRecord<String, String>> records = KafkaTestBroker.consume(bootstrap, "logs", 350);
        assertThat(records).hasSize(350);
        Map<String, List<String>> byZone = records.stream().collect(Collectors.groupingBy(ConsumerRecord::key,
                Collectors.mapping(ConsumerRecord::value, Collectors.toList())));
        assertThat(byZone.get("zone-a")).containsExactlyElementsOf(stripped(zoneA));
        assertThat(byZone.get("zone-b")).containsExactlyElementsOf(stripped(zoneB));
        assertThat(records.stream().filter(r -> r.key().equals("zone-a")).map(ConsumerRecord::partition).distinct()).hasSize(1);
    }

    @Test
    void theProducerIsIdempotent() throws Exception {
        try (KafkaDestination destination = destination("small")) {
            destination.deliver(batch("zone-i", lines("i", 20))).get(30, TimeUnit.SECONDS);
        }
        TopicPartition partition = new TopicPartition("small", 0);
        List<ProducerState> producers = broker.doWithAdminFunction(admin -> {
            try {
                return admin.describeProducers(List.of(partition)).partitionResult(partition).get(10, TimeUnit.SECONDS)
                        .activeProducers();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // the broker tracks sequence numbers only for idempotent producers (a producer id ≥ 0)
        assertThat(producers).isNotEmpty().allSatisfy(p -> assertThat(p.producerId()).isNotNegative());
        assertThat(producers).anySatisfy(p -> assertThat(p.lastSequence()).isGreaterThanOrEqualTo(19));
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void compressionIsAppliedAndReadBack(String codec) throws Exception {
        String topic = "logs-" + codec;
        List<String> lines = lines(codec, 300);
        try (KafkaDestination destination = destination(topic + "?compression=" + codec)) {
            destination.deliver(batch("zone-c", lines)).get(30, TimeUnit.SECONDS);
        }

        assertThat(KafkaTestBroker.consume(bootstrap, topic, 300)).extracting(ConsumerRecord::value)
                .containsExactlyElementsOf(stripped(lines));
        assertThat(codecsOnDisk(topic)).containsOnly(codec);
    }

    @Test
    void aRecordTheTopicCannotHoldFailsForGood() throws Exception {
        try (KafkaDestination destination = destination("small")) {
            CompletableFuture<Void> delivery = destination.deliver(batch("zone-big", List.of("x".repeat(10_000))));

            LogDeliveryException failure = failure(delivery);
            assertThat(failure.retryable()).isFalse();
            assertThat(failure).hasMessageContaining("Kafka topic small did not take the batch").hasMessageContaining("RecordTooLarge");
        }
    }

    @Test
    void aTopicThatDoesNotExistFailsRetryably() throws Exception {
        try (KafkaDestination destination = KafkaDestination.open("kafka://" + bootstrap + "/missing",
                BrokerAddressPolicy.anyAddress(), Duration.ofSeconds(2))) {
            LogDeliveryException failure = failure(destination.deliver(batch("zone-m", List.of("m"))));

            assertThat(failure.retryable()).isTrue();
            assertThat(failure).hasMessageContaining("missing");
        }
    }

    /** The origins' rule refuses a loopback bootstrap broker, in any of its forms, before anything connects to it. */
    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "localhost", "127.1", "0x7f.0.0.1", "[::1]", "[::ffff:127.0.0.1]"})
    void aProhibitedBootstrapBrokerIsRefusedWithoutConnecting(String host) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
                KafkaDestination destination = KafkaDestination.open("kafka://" + host + ":" + listener.getLocalPort() + "/logs",
                        BrokerAddressPolicy.publicOnly(), Duration.ofSeconds(10))) {
            LogDeliveryException failure = failure(destination.deliver(batch("zone-p", List.of("p"))));

            assertThat(failure.retryable()).isFalse();
            assertThat(failure).hasMessageContaining("bootstrap broker").hasMessageContaining("prohibited address");
            listener.setSoTimeout(500);
            boolean connected;
            try (var ignored = listener.accept()) {
                connected = true;
            } catch (SocketTimeoutException e) {
                connected = false;
            }
            assertThat(connected).as("a connection reached the prohibited broker").isFalse();
        }
    }

    /**
     * The bootstrap broker is down (its port refuses connections), then up (a relay to the broker listens
     * there): the batch fails retryably within its bounded time, and the same destination takes it once
     * the broker answers, when the caller sends it again as its backoff does. Nothing is written twice.
     */
    @Test
    void aBatchFailsRetryablyWhileTheBrokerIsDownAndIsDeliveredOnceItIsUp() throws Exception {
        int port = TcpRelay.freePort();
        LogBatch logs = batch("zone-d", lines("d", 50));
        try (KafkaDestination destination = KafkaDestination.open("kafka://127.0.0.1:" + port + "/logs-down",
                BrokerAddressPolicy.anyAddress(), Duration.ofSeconds(3))) {
            long started = System.nanoTime();
            LogDeliveryException down = failure(destination.deliver(logs));

            assertThat(down.retryable()).isTrue();
            assertThat(down).hasMessageContaining("Kafka topic logs-down did not take the batch");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).as("ms until the batch failed").isLessThan(6_000);

            String[] target = bootstrap.split(",")[0].split(":");
            try (TcpRelay up = TcpRelay.listen(port, new InetSocketAddress(target[0], Integer.parseInt(target[1])))) {
                long recovering = System.nanoTime();
                while (true) {
                    try {
                        destination.deliver(logs).get(30, TimeUnit.SECONDS);
                        break;
                    } catch (ExecutionException e) {
                        assertThat(((LogDeliveryException) e.getCause()).retryable()).isTrue();
                        assertThat(System.nanoTime() - recovering).as("ns until the batch was taken")
                                .isLessThan(TimeUnit.SECONDS.toNanos(20));
                        Thread.sleep(200);
                    }
                }
            }
        }

        assertThat(KafkaTestBroker.consume(bootstrap, "logs-down", 50)).extracting(ConsumerRecord::value)
                .containsExactlyElementsOf(stripped(lines("d", 50)));
    }

    /** Kafka logs its producer config at INFO: the SASL password is in it only as {@code [hidden]}, and in no failure message. */
    @Test
    void theSaslPasswordIsNeverLogged() throws Exception {
        Logger kafkaLogs = (Logger) LoggerFactory.getLogger("org.apache.kafka");
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        Level level = kafkaLogs.getLevel();
        kafkaLogs.setLevel(Level.INFO);
        kafkaLogs.addAppender(captured);
        String password = "s3cret-" + System.nanoTime();
        try (KafkaDestination destination = KafkaDestination.open("kafka://" + bootstrap
                + "/logs?sasl_mechanism=PLAIN&sasl_username=edge&sasl_password=" + password, BrokerAddressPolicy.anyAddress(),
                Duration.ofSeconds(2))) {
            LogDeliveryException failure = failure(destination.deliver(batch("zone-s", List.of("s"))));
            assertThat(failure.getMessage()).doesNotContain(password);
        } finally {
            kafkaLogs.detachAppender(captured);
            kafkaLogs.setLevel(level);
        }

        List<String> messages = captured.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("ProducerConfig values").contains("sasl.jaas.config = [hidden]"));
        assertThat(messages).noneSatisfy(m -> assertThat(m).contains(password));
    }

    @Test
    void aClosedDestinationFailsRetryably() throws Exception {
        KafkaDestination destination = destination("logs");
        destination.close();
        destination.close();

        LogDeliveryException failure = failure(destination.deliver(batch("zone-x", List.of("x"))));
        assertThat(failure.retryable()).isTrue();
        assertThat(failure).hasMessageContaining("closed");
    }

    @Test
    void anEmptyBatchCompletesAtOnce() throws Exception {
        try (KafkaDestination destination = destination("logs")) {
            destination.deliver(new LogBatch(1, "zone-e", List.of())).get(5, TimeUnit.SECONDS);
        }
    }

    static LogDeliveryException failure(CompletableFuture<Void> delivery) throws Exception {
        try {
            delivery.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(LogDeliveryException.class);
            return (LogDeliveryException) e.getCause();
        }
        throw new AssertionError("the delivery succeeded");
    }

    static List<String> lines(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> "{\"RayID\":\"" + prefix + i + "\",\"EdgeResponseStatus\":200}\n").toList();
    }

    static List<String> stripped(List<String> lines) {
        return lines.stream().map(String::strip).toList();
    }

    /** The compression codecs of the record batches the broker stored for {@code topic}. */
    private static List<String> codecsOnDisk(String topic) throws IOException {
        List<String> codecs = new ArrayList<>();
        for (String logDir : broker.getCluster().brokers().values().iterator().next().config().logDirs()) {
            File[] partitions = new File(logDir).listFiles((dir, name) -> name.matches(java.util.regex.Pattern.quote(topic) + "-[0-9]+"));
            for (File partition : partitions == null ? new File[0] : partitions) {
                File[] segments = partition.listFiles((dir, name) -> name.endsWith(".log"));
                for (File segment : segments == null ? new File[0] : segments) {
                    try (FileRecords records = FileRecords.open(segment)) {
                        for (RecordBatch stored : records.batches()) {
                            codecs.add(stored.compressionType().name);
                        }
                    }
                }
            }
        }
        assertThat(codecs).as("record batches of " + topic + " on disk").isNotEmpty();
        return codecs;
    }
}
