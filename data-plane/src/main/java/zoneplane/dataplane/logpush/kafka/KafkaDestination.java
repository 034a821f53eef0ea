package zoneplane.dataplane.logpush.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import zoneplane.dataplane.logpush.LogBatch;
import zoneplane.dataplane.logpush.LogDeliveryException;
import zoneplane.dataplane.logpush.LogDestination;

/**
 * Zoneplane's Kafka destination ({@code kafka://…}, issue 23): one Kafka record per log line, keyed by
 * the zone id (so a zone's records share a partition and keep their order), valued by the line without
 * a trailing {@code \n} / {@code \r\n} (a Kafka record is its own frame, so {@code record_delimiter} and
 * the batch framing are not sent), through Kafka's idempotent producer ({@link ProducerSettings}).
 *
 * <p>Threads: {@link #deliver} only queues the batch. The destination's one thread creates the producer
 * (after {@link BrokerAddressCheck} passed the bootstrap brokers), checks the brokers the cluster
 * advertises and calls {@code send}, which may block on metadata for up to half the delivery timeout.
 * The batch's future completes once Kafka acknowledged every record ({@code acks=all}), or exceptionally
 * with the first failure ({@link KafkaFailures}); completions run on the common pool, never on Kafka's
 * network thread or a proxy event loop.
 */
public final class KafkaDestination implements LogDestination {

    /** How long a record may take to be acknowledged, retries included, unless the caller says otherwise. */
    public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

    private final KafkaDestinationConf conf;
    private final BrokerAddressCheck brokers;
    private final Duration deliveryTimeout;
    private final ExecutorService sender;
    private final Object lock = new Object();
    /** Written once, on the sender thread; read there and by {@link #close()}. */
    private volatile Producer<byte[], byte[]> producer;
    private boolean closed; // guarded by lock

    /**
     * @param deliveryTimeout how long a batch's records may take to be acknowledged (Kafka's
     *     {@code delivery.timeout.ms}); a batch fails retryably after at most about 1.5 times it
     */
    public KafkaDestination(KafkaDestinationConf conf, BrokerAddressPolicy policy, Duration deliveryTimeout) {
        this.conf = conf;
        this.brokers = new BrokerAddressCheck(policy);
        this.deliveryTimeout = deliveryTimeout;
        this.sender = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "logpush-kafka-" + conf.topic());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * The destination of {@code destinationConf}, for a destination factory; connects nowhere yet.
     *
     * @throws IllegalArgumentException when {@code destinationConf} is not a valid Kafka destination
     */
    public static KafkaDestination open(String destinationConf, BrokerAddressPolicy policy) {
        return open(destinationConf, policy, DEFAULT_DELIVERY_TIMEOUT);
    }

    /** As {@link #open(String, BrokerAddressPolicy)}, with the delivery timeout given. */
    public static KafkaDestination open(String destinationConf, BrokerAddressPolicy policy, Duration deliveryTimeout) {
        return new KafkaDestination(KafkaDestinationConf.parse(destinationConf), policy, deliveryTimeout);
    }

    @Override
    public CompletableFuture<Void> deliver(LogBatch batch) {
        Delivery delivery = new Delivery(batch, new CompletableFuture<>());
        try {
            sender.execute(delivery);
        } catch (RejectedExecutionException e) {
            delivery.fail(closedError());
        }
        return delivery.result();
    }

    /** One queued batch; {@link #fail} completes it when it never ran. */
    private final class Delivery implements Runnable {
        private final LogBatch batch;
        private final CompletableFuture<Void> result;

        Delivery(LogBatch batch, CompletableFuture<Void> result) {
            this.batch = batch;
            this.result = result;
        }

        CompletableFuture<Void> result() {
            return result;
        }

        void fail(LogDeliveryException error) {
            result.completeExceptionally(error);
        }

        @Override
        public void run() {
            try {
                send(batch).whenCompleteAsync((ok, error) -> {
                    if (error == null) {
                        result.complete(null);
                    } else {
                        result.completeExceptionally(KafkaFailures.of(conf.topic(), error));
                    }
                });
            } catch (RuntimeException e) {
                result.completeExceptionally(KafkaFailures.of(conf.topic(), e));
            }
        }
    }

    /** Sends every line of {@code batch}; the future completes when all are acknowledged. Sender thread only. */
    private CompletableFuture<Void> send(LogBatch batch) {
        if (batch.records() == 0) {
            return CompletableFuture.completedFuture(null);
        }
        Producer<byte[], byte[]> kafka = producer();
        brokers.advertised(kafka.partitionsFor(conf.topic()));
        byte[] key = batch.zoneId().getBytes(StandardCharsets.UTF_8);
        List<byte[]> lines = batch.lines();
        CompletableFuture<?>[] acks = new CompletableFuture<?>[lines.size()];
        for (int i = 0; i < acks.length; i++) {
            CompletableFuture<Void> ack = new CompletableFuture<>();
            acks[i] = ack;
            kafka.send(new ProducerRecord<>(conf.topic(), key, value(lines.get(i))), (metadata, error) -> {
                if (error == null) {
                    ack.complete(null);
                } else {
                    ack.completeExceptionally(error);
                }
            });
        }
        return CompletableFuture.allOf(acks);
    }

    /** The line without one trailing {@code \n} or {@code \r\n}. */
    static byte[] value(byte[] line) {
        int end = line.length;
        if (end > 0 && line[end - 1] == '\n') {
            end--;
            if (end > 0 && line[end - 1] == '\r') {
                end--;
            }
        }
        return end == line.length ? line : Arrays.copyOf(line, end);
    }

    private Producer<byte[], byte[]> producer() {
        Producer<byte[], byte[]> current = producer;
        if (current != null) {
            return current;
        }
        synchronized (lock) {
            if (closed) {
                throw closedError();
            }
        }
        brokers.bootstrap(conf);
        Producer<byte[], byte[]> created = new KafkaProducer<>(ProducerSettings.of(conf, deliveryTimeout));
        synchronized (lock) {
            if (!closed) {
                producer = created;
                return created;
            }
        }
        created.close(Duration.ZERO);
        throw closedError();
    }

    private static LogDeliveryException closedError() {
        return new LogDeliveryException("the Kafka destination was closed before the batch was sent", true, null);
    }

    /**
     * Flushes what the producer holds for up to two seconds, closes it and stops the thread; batches
     * not yet acknowledged fail (retryably), so the caller keeps them. Idempotent.
     */
    @Override
    public void close() {
        Producer<byte[], byte[]> current;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            current = producer;
        }
        sender.shutdown();
        if (current != null) {
            current.close(CLOSE_GRACE);
        }
        try {
            if (!sender.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                failUnsent();
            }
        } catch (InterruptedException e) {
            failUnsent();
            Thread.currentThread().interrupt();
        }
    }

    private void failUnsent() {
        for (Runnable unsent : sender.shutdownNow()) {
            ((Delivery) unsent).fail(closedError());
        }
        Producer<byte[], byte[]> late = producer;
        if (late != null) {
            late.close(Duration.ZERO);
        }
    }

    @Override
    public String toString() {
        return "KafkaDestination[" + conf + "]";
    }
}
