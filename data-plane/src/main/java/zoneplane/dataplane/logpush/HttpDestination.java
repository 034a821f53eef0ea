package zoneplane.dataplane.logpush;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPOutputStream;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.PrematureCloseException;
import zoneplane.dataplane.origin.ProhibitedOriginException;
import zoneplane.model.logpush.OutputOptions;

/**
 * Cloudflare's HTTP destination: each batch is one {@code POST} to the job's URL, body {@code batch_prefix} +
 * the lines joined by {@code record_delimiter} + {@code batch_suffix}, gzip-compressed
 * ({@code Content-Encoding: gzip}), {@code Content-Type: text/plain; charset=utf-8} (NDJSON is not one
 * JSON document, and receivers written for Cloudflare's pushes, such as Elastic's, report that it is not
 * {@code application/json}), and the {@code header_*} parameters as headers. A 2xx answer acknowledges the batch; 408, 429, 5xx, a timeout or
 * a connection failure are worth another attempt; any other answer is a refusal for good.
 *
 * <p>Runs on the logpush client's own event loop (never the proxy's) through the node's shared client, whose
 * resolver refuses loopback, private and other prohibited addresses unless the operator allows private
 * destinations (the origins' rule, {@code PublicOriginResolvers}). Messages name the host and what failed,
 * never the URL's query or a header.
 */
final class HttpDestination implements LogDestination {

    static final String CONTENT_TYPE = "text/plain; charset=utf-8";
    /** The longest one upload may take, connection to answer. */
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final HttpDestinationConf conf;
    private final OutputOptions options;
    private final HttpClient client;
    private volatile boolean closed;

    HttpDestination(HttpDestinationConf conf, OutputOptions options, HttpClient client) {
        this.conf = conf;
        this.options = options;
        this.client = client;
    }

    @Override
    public CompletableFuture<Void> deliver(LogBatch batch) {
        if (closed) {
            return CompletableFuture.failedFuture(new LogDeliveryException("the destination was closed", true, null));
        }
        byte[] body = gzip(batch);
        String host = conf.target().getHost();
        return client.headers(h -> {
                    h.set(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE);
                    conf.headers().forEach(h::set);
                    h.set(HttpHeaderNames.CONTENT_ENCODING, "gzip");
                })
                .post()
                .uri(conf.target())
                .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)))
                .responseSingle((response, content) -> content.then(Mono.just(response.status().code())))
                .timeout(TIMEOUT)
                .onErrorMap(error -> !(error instanceof LogDeliveryException), error -> failure(host, error))
                .flatMap(status -> status >= 200 && status < 300 ? Mono.<Void>empty()
                        : Mono.error(new LogDeliveryException("HTTP " + status + " from " + host,
                                status == 408 || status == 429 || status < 400 || status >= 500, null)))
                .toFuture();
    }

    private static LogDeliveryException failure(String host, Throwable error) {
        if (ProhibitedOriginException.isCause(error)) {
            return new LogDeliveryException("destination " + host + " resolves to a prohibited address "
                    + "(loopback, private or reserved); this node delivers to public addresses only", true, error);
        }
        if (error instanceof TimeoutException) {
            return new LogDeliveryException("no answer from " + host + " within " + TIMEOUT.toSeconds() + " s", true, error);
        }
        if (error instanceof PrematureCloseException) {
            return new LogDeliveryException(host + " closed the connection before answering", true, error);
        }
        return new LogDeliveryException("cannot reach " + host + ": " + error.getClass().getSimpleName(), true, error);
    }

    /** The batch's body, framed as the job's options ask and gzip-compressed. */
    byte[] gzip(LogBatch batch) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8, batch.bytes() / 6 + 64));
        byte[] delimiter = options.recordDelimiter().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (GZIPOutputStream out = new GZIPOutputStream(bytes, 1 << 16)) {
            out.write(options.batchPrefix().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (int i = 0; i < batch.lines().size(); i++) {
                if (i > 0) {
                    out.write(delimiter);
                }
                out.write(batch.lines().get(i));
            }
            out.write(options.batchSuffix().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
        return bytes.toByteArray();
    }

    /** The shared client outlives the destination; pending uploads finish or time out on their own. */
    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "HttpDestination{" + conf + "}";
    }
}
