package zoneplane.dataplane.logpush;

import java.util.concurrent.CompletableFuture;

/**
 * Where one Logpush job's batches go (issue 23): Cloudflare's HTTP destination or Zoneplane's Kafka
 * destination, one instance per job and {@code destination_conf}. Delivery is at least once: the
 * caller keeps a batch (spooled) until its future completes normally, and sends it again otherwise.
 */
public interface LogDestination extends AutoCloseable {

    /**
     * Sends {@code batch}. Never blocks the caller and never runs on an event loop of the proxy. The
     * future completes normally once the destination acknowledged every record of the batch, and
     * exceptionally otherwise, with a {@link LogDeliveryException} whose message is safe to show the
     * zone owner (it never holds a secret of {@code destination_conf}).
     */
    CompletableFuture<Void> deliver(LogBatch batch);

    /** Releases the destination's connections and threads; deliveries still pending fail. */
    @Override
    void close();
}
