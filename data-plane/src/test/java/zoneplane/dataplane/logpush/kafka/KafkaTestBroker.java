package zoneplane.dataplane.logpush.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import zoneplane.dataplane.logpush.LogBatch;

/**
 * A real in-process KRaft broker (one combined broker and controller, its listeners on localhost) for a
 * test class, without a Spring context, and a real consumer that reads a topic from the beginning.
 */
final class KafkaTestBroker {

    private KafkaTestBroker() {}

    /** A started broker with {@code properties}, on a free port. The caller destroys it. */
    static EmbeddedKafkaKraftBroker start(int partitions, Map<String, String> properties) {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, partitions);
        broker.brokerProperties(properties);
        broker.brokerProperty("auto.create.topics.enable", "false");
        broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
        broker.afterPropertiesSet();
        return broker;
    }

    /**
     * Creates {@code topics} and waits until the broker holds a log for each partition: a produce that
     * reaches a partition the broker has not loaded yet gets NOT_LEADER, and the idempotent producer's
     * in-flight batches then see OUT_OF_ORDER_SEQUENCE_NUMBER until their delivery timeout (a race of
     * a topic created a moment before; a destination's topic normally exists long before).
     */
    static void createTopics(EmbeddedKafkaKraftBroker broker, NewTopic... topics) {
        broker.addTopics(topics);
        Set<TopicPartition> expected = new HashSet<>();
        for (NewTopic topic : topics) {
            for (int p = 0; p < topic.numPartitions(); p++) {
                expected.add(new TopicPartition(topic.name(), p));
            }
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> broker.doWithAdminFunction(admin -> {
            try {
                Set<TopicPartition> loaded = new HashSet<>();
                admin.describeLogDirs(List.of(0)).allDescriptions().get(10, TimeUnit.SECONDS).values()
                        .forEach(dirs -> dirs.values().forEach(dir -> loaded.addAll(dir.replicaInfos().keySet())));
                return loaded.containsAll(expected);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }));
    }

    /** Every record of {@code topic}, once at least {@code expected} arrived (or 20 s passed), in partition order. */
    static List<ConsumerRecord<String, String>> consume(String bootstrap, String topic, int expected) {
        Properties settings = new Properties();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Instant deadline = Instant.now().plusSeconds(20);
            while (records.size() < expected && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            // one more short poll: a record beyond the expected ones (a duplicate) shows up too
            consumer.poll(Duration.ofMillis(300)).forEach(records::add);
        }
        return records;
    }

    static LogBatch batch(String zone, List<String> lines) {
        return new LogBatch(7, zone, lines.stream().map(line -> line.getBytes(StandardCharsets.UTF_8)).toList());
    }
}
