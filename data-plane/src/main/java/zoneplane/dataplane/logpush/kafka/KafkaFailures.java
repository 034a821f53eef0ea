package zoneplane.dataplane.logpush.kafka;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import zoneplane.dataplane.logpush.LogDeliveryException;

/**
 * What a Kafka failure means for a batch. Not retryable: the cluster refused the records themselves
 * (too large, invalid, an invalid topic) or refused us (authentication, authorization), so sending the
 * same batch again cannot succeed. Everything else (timeouts, a broker down, no leader, a network
 * error, all of Kafka's {@code RetriableException}s) is retryable. The message names the topic and
 * Kafka's reason, which never holds the SASL password.
 */
final class KafkaFailures {

    private static final int MAX_REASON = 300;

    private KafkaFailures() {}

    static LogDeliveryException of(String topic, Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof LogDeliveryException delivery) {
            return delivery;
        }
        boolean retryable = !(cause instanceof RecordTooLargeException || cause instanceof RecordBatchTooLargeException
                || cause instanceof InvalidRecordException || cause instanceof InvalidTopicException
                || cause instanceof AuthenticationException || cause instanceof AuthorizationException
                || cause instanceof UnsupportedVersionException);
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName()
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        if (reason.length() > MAX_REASON) {
            reason = reason.substring(0, MAX_REASON) + "…";
        }
        return new LogDeliveryException("Kafka topic " + topic + " did not take the batch: " + reason, retryable, cause);
    }

    private static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
