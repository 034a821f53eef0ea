package zoneplane.dataplane.origin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * One request to an origin over one HTTP/1.1 connection from the pool, driven entirely on the
 * visitor's event loop (the origin connection lives on the same loop, so no hand-off between threads).
 *
 * <p>Life: acquire a pooled connection or open one; write the head (and stream the body, counting it
 * against the upload limit, with back-pressure from the origin socket); wait for the response head,
 * hand it over with its body; give the connection back once both directions have ended cleanly, else
 * close it. A pooled connection the origin had closed meanwhile is retried once on a new one when
 * it is safe: an idempotent request without a body and no response byte yet, as browsers do.
 */
final class OriginCall {

    private final OriginPool pool;
    private final Channel visitor;
    private final OriginPool.Key key;
    private final HttpMethod method;
    private final String target;
    private final HttpHeaders headers;
    private final Publisher<ByteBuf> body;
    private final long bodyLimit;

    private MonoSink<OriginResponse> sink;
    private Channel channel;
    private OriginConnection connection;
    private BodyWriter writer;
    private HttpResponse head;
    private OriginBody responseBody;
    private boolean reused;
    private boolean retried;
    private boolean requestDone;
    private boolean headDelivered;
    private boolean skippingInformational;
    private boolean finished;

    OriginCall(OriginPool pool, Channel visitor, OriginPool.Key key, HttpMethod method, String target,
            HttpHeaders headers, Publisher<ByteBuf> body, long bodyLimit) {
        this.pool = pool;
        this.visitor = visitor;
        this.key = key;
        this.method = method;
        this.target = target;
        this.headers = headers;
        this.body = body;
        this.bodyLimit = bodyLimit;
    }

    Mono<OriginResponse> start() {
        return Mono.create(s -> {
            sink = s;
            s.onCancel(() -> onLoop(this::abandon));
            onLoop(this::acquire);
        });
    }

    private void onLoop(Runnable task) {
        if (visitor.eventLoop().inEventLoop()) {
            task.run();
        } else {
            visitor.eventLoop().execute(task);
        }
    }

    private void acquire() {
        if (finished) {
            return;
        }
        Channel idle = retried ? null : pool.pollIdle(key);
        if (idle != null) {
            attach(idle, true);
            return;
        }
        pool.connect(visitor, key).addListener((ChannelFuture connected) -> {
            if (!connected.isSuccess()) {
                failed(connected.cause(), false);
            } else if (finished) {
                connected.channel().close();
            } else {
                attach(connected.channel(), false);
            }
        });
    }

    private void attach(Channel ch, boolean fromPool) {
        channel = ch;
        reused = fromPool;
        connection = ch.pipeline().get(OriginConnection.class);
        connection.begin(this);
        if (body == null) {
            ch.writeAndFlush(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, target, Unpooled.EMPTY_BUFFER,
                    headers, EmptyHttpHeaders.INSTANCE)).addListener(this::headWritten);
        } else {
            ch.write(new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, target, headers))
                    .addListener(this::writeResult);
            writer = new BodyWriter();
            body.subscribe(writer);
        }
    }

    private void headWritten(io.netty.util.concurrent.Future<? super Void> written) {
        if (written.isSuccess()) {
            requestWritten();
        } else {
            failed(written.cause(), true);
        }
    }

    private void writeResult(io.netty.util.concurrent.Future<? super Void> written) {
        if (!written.isSuccess()) {
            failed(written.cause(), false);
        }
    }

    private void requestWritten() {
        if (finished) {
            return;
        }
        requestDone = true;
        // The response timeout runs from the end of the request, as a gateway's does.
        pool.restartResponseTimer(channel);
    }

    // --- events from the origin connection (OriginConnection), on the loop ---------------------------

    void responseHead(HttpResponse response) {
        int code = response.status().code();
        if (code >= 100 && code < 200 && code != 101) {
            // 100 Continue / 103 Early Hints: the edge already answered the visitor's Expect itself.
            skippingInformational = true;
            return;
        }
        head = response;
    }

    void responseContent(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (skippingInformational || head == null || finished) {
            content.release();
            if (last) {
                skippingInformational = false;
            }
            return;
        }
        if (!headDelivered) {
            headDelivered = true;
            Publisher<ByteBuf> relayed;
            if (last) {
                // The whole response came in one read: the visitor's side can send it in one write.
                relayed = Mono.just(content.content());
                responseEnded();
            } else {
                responseBody = new OriginBody(channel, () -> onLoop(this::abandon));
                responseBody.push(content.content());
                relayed = responseBody;
            }
            sink.success(new OriginResponse(head.status(), head.headers(), relayed));
            return;
        }
        responseBody.push(content.content());
        if (last) {
            OriginBody ended = responseBody;
            responseEnded();
            ended.complete();
        }
    }

    void writable() {
        if (writer != null) {
            writer.writable();
        }
    }

    void connectionClosed() {
        failed(new OriginClosedException(), true);
    }

    void readTimedOut(Throwable timeout) {
        if (requestDone && !finished) {
            failed(timeout, false);
        }
    }

    /**
     * Ends the call with {@code cause}: before the response head the visitor gets an error page, after
     * it the body fails (and the visitor's connection is reset). {@code retryable} marks failures of a
     * reused connection that cannot have reached the origin's application.
     */
    void failed(Throwable cause, boolean retryable) {
        if (finished) {
            return;
        }
        if (retryable && reused && !retried && body == null && head == null && idempotent()) {
            retried = true;
            Channel stale = detach();
            if (stale != null) {
                stale.close();
            }
            acquire();
            return;
        }
        closeAbruptly();
        if (!headDelivered) {
            sink.error(cause);
        } else if (responseBody != null) {
            responseBody.fail(cause);
        }
    }

    /** Methods a client may repeat (RFC 9110 §9.2.2): the only ones retried. */
    private boolean idempotent() {
        return method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS
                || method == HttpMethod.PUT || method == HttpMethod.DELETE || method == HttpMethod.TRACE;
    }

    /** The visitor is gone (or stopped reading the body): the origin connection is closed, not reused. */
    private void abandon() {
        if (!finished) {
            closeAbruptly();
        }
    }

    /** Ends the call mid-exchange: the connection may hold half a message, so it is closed, never pooled. */
    private void closeAbruptly() {
        finished = true;
        Channel ch = detach();
        if (ch != null) {
            ch.close();
        }
        if (writer != null) {
            writer.dispose();
        }
    }

    private void responseEnded() {
        finished = true;
        Channel ch = detach();
        if (ch == null) {
            return;
        }
        if (requestDone && HttpUtil.isKeepAlive(head)) {
            pool.release(key, ch);
        } else {
            // The origin answered before the whole body was sent, or will close: not reusable.
            if (writer != null) {
                writer.dispose();
            }
            ch.close();
        }
    }

    private Channel detach() {
        Channel ch = channel;
        if (ch != null) {
            connection.end();
            channel = null;
            connection = null;
        }
        return ch;
    }

    /** Streams the visitor's request body to the origin one chunk at a time, counting it. */
    private final class BodyWriter extends BaseSubscriber<ByteBuf> {

        private long seen;
        private boolean waitingForWritability;

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            subscription.request(1);
        }

        @Override
        protected void hookOnNext(ByteBuf chunk) {
            Channel ch = channel;
            if (finished || ch == null) {
                return;
            }
            seen += chunk.readableBytes();
            if (seen > bodyLimit) {
                dispose();
                failed(new UploadTooLargeException(bodyLimit), false);
                return;
            }
            // Reactor Netty releases the chunk after onNext: the write needs its own reference.
            ch.writeAndFlush(new DefaultHttpContent(chunk.retain())).addListener(OriginCall.this::writeResult);
            if (ch.isWritable()) {
                request(1);
            } else {
                waitingForWritability = true;
            }
        }

        void writable() {
            if (waitingForWritability) {
                waitingForWritability = false;
                request(1);
            }
        }

        @Override
        protected void hookOnComplete() {
            Channel ch = channel;
            if (finished || ch == null) {
                return;
            }
            ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener((ChannelFutureListener) written -> {
                if (written.isSuccess()) {
                    requestWritten();
                } else {
                    failed(written.cause(), false);
                }
            });
        }

        @Override
        protected void hookOnError(Throwable error) {
            failed(error, false);
        }
    }
}
