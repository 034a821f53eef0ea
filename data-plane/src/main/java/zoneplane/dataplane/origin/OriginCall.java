package zoneplane.dataplane.origin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
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
import java.util.ArrayDeque;

/**
 * One request to an origin over one HTTP/1.1 connection from the pool, driven entirely on the
 * visitor's event loop (the origin connection lives on the same loop, so no hand-off between threads).
 * Every method must be called on that loop.
 *
 * <p>Life: acquire a pooled connection or open one; write the head, then the body the caller pushes
 * ({@link #sendBody}, {@link #endBody}), counted against the upload limit; hand the response to the
 * {@link OriginReceiver}; give the connection back once both directions have ended cleanly, else
 * close it. Body parts pushed before the connection is ready wait here; the caller keeps its side in
 * step with {@link #bodyWritable()} and {@link OriginReceiver#bodyWritable()}. A pooled connection the
 * origin had closed meanwhile is retried once on a new one when it is safe: an idempotent request
 * without a body and no response byte yet, as browsers do.
 */
public final class OriginCall {

    private final OriginPool pool;
    private final Channel visitor;
    private final OriginPool.Key key;
    private final HttpMethod method;
    private final String target;
    private final HttpHeaders headers;
    private final boolean hasBody;
    private final long bodyLimit;
    private final OriginReceiver receiver;

    private Channel channel;
    /** Kept past {@link #detach}: a response that arrives whole ends the call before its head is relayed. */
    private java.net.SocketAddress originAddress;
    private OriginConnection connection;
    private ArrayDeque<ByteBuf> waitingBody;
    private long bodySent;
    private boolean bodyEnded;
    private HttpResponse head;
    private boolean reused;
    private boolean retried;
    private boolean requestDone;
    /** When the request's last byte was written ({@link System#nanoTime()}), 0 before: the origin's response time starts here. */
    private long requestWrittenNanos;
    private boolean headDelivered;
    private boolean skippingInformational;
    private boolean finished;

    OriginCall(OriginPool pool, Channel visitor, OriginPool.Key key, HttpMethod method, String target,
            HttpHeaders headers, boolean hasBody, long bodyLimit, OriginReceiver receiver) {
        this.pool = pool;
        this.visitor = visitor;
        this.key = key;
        this.method = method;
        this.target = target;
        this.headers = headers;
        this.hasBody = hasBody;
        this.bodyLimit = bodyLimit;
        this.receiver = receiver;
    }

    void start() {
        acquire();
    }

    // --- the caller's side ---------------------------------------------------------------------------

    /**
     * The next part of the request body (ownership passes here). Crossing the upload limit fails the
     * call with {@link UploadTooLargeException}.
     */
    public void sendBody(ByteBuf chunk) {
        if (finished || bodyEnded) {
            chunk.release();
            return;
        }
        bodySent += chunk.readableBytes();
        if (bodySent > bodyLimit) {
            chunk.release();
            failed(new UploadTooLargeException(bodyLimit), false);
            return;
        }
        if (channel == null) {
            if (waitingBody == null) {
                waitingBody = new ArrayDeque<>(4);
            }
            waitingBody.add(chunk);
            return;
        }
        channel.writeAndFlush(new DefaultHttpContent(chunk), channel.voidPromise());
    }

    /** The request body is complete. */
    public void endBody() {
        if (finished || bodyEnded) {
            return;
        }
        bodyEnded = true;
        if (channel != null) {
            writeLast();
        }
    }

    /** The origin address this call's connection is (or was) to; null before it connected. */
    public java.net.SocketAddress originAddress() {
        return originAddress;
    }

    /** Whether more body may be pushed now without piling up: the origin connection is ready and writable. */
    public boolean bodyWritable() {
        return channel != null && channel.isWritable();
    }

    /** Stops reading the origin's response (the visitor cannot take more now). */
    public void pauseResponse() {
        if (channel != null) {
            channel.config().setAutoRead(false);
        }
    }

    /** Reads the origin's response again. */
    public void resumeResponse() {
        if (channel != null && !channel.config().isAutoRead()) {
            channel.config().setAutoRead(true);
        }
    }

    /** The visitor is gone: the origin connection is closed, not reused. Nothing more is reported. */
    public void cancel() {
        if (!finished) {
            closeAbruptly();
        }
    }

    /** Fails the call from the caller's side (the visitor's body stalled, say); the receiver is told. */
    public void fail(Throwable cause) {
        failed(cause, false);
    }

    // --- the connection ------------------------------------------------------------------------------

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
        originAddress = ch.remoteAddress();
        reused = fromPool;
        connection = ch.pipeline().get(OriginConnection.class);
        connection.begin(this, method);
        // Writes carry no listener: a failed write reaches OriginConnection.exceptionCaught, which fails the
        // call (retried there when safe), and the socket buffer takes a request head at once.
        if (!hasBody) {
            ch.writeAndFlush(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, target, Unpooled.EMPTY_BUFFER,
                    headers, EmptyHttpHeaders.INSTANCE), ch.voidPromise());
            requestWritten();
            return;
        }
        ch.write(new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, target, headers), ch.voidPromise());
        ByteBuf waiting;
        while (waitingBody != null && (waiting = waitingBody.poll()) != null) {
            ch.write(new DefaultHttpContent(waiting), ch.voidPromise());
        }
        if (bodyEnded) {
            writeLast();
        } else {
            ch.flush();
            if (ch.isWritable()) {
                receiver.bodyWritable();
            }
        }
    }

    private void writeLast() {
        channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, channel.voidPromise());
        requestWritten();
    }

    private void requestWritten() {
        if (finished || channel == null) {
            return;
        }
        requestDone = true;
        requestWrittenNanos = System.nanoTime();
        // The response timeout runs from the end of the request, as a gateway's does.
        connection.requestWritten();
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
        if (requestWrittenNanos != 0) {
            pool.observer().responded(System.nanoTime() - requestWrittenNanos);
        }
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
        if (last) {
            responseEnded();
        }
        if (!headDelivered) {
            headDelivered = true;
            receiver.response(head, content);
        } else {
            receiver.content(content);
        }
    }

    void writable() {
        if (hasBody && !bodyEnded && !finished) {
            receiver.bodyWritable();
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
     * Ends the call with {@code cause} and tells the receiver. {@code retryable} marks failures of a
     * reused connection that cannot have reached the origin's application.
     */
    void failed(Throwable cause, boolean retryable) {
        if (finished) {
            return;
        }
        if (retryable && reused && !retried && !hasBody && head == null && idempotent()) {
            retried = true;
            Channel stale = detach(false);
            if (stale != null) {
                stale.close();
            }
            acquire();
            return;
        }
        closeAbruptly();
        receiver.failed(cause);
    }

    /** Methods a client may repeat (RFC 9110 §9.2.2): the only ones retried. */
    private boolean idempotent() {
        return method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS
                || method == HttpMethod.PUT || method == HttpMethod.DELETE || method == HttpMethod.TRACE;
    }

    /** Ends the call mid-exchange: the connection may hold half a message, so it is closed, never pooled. */
    private void closeAbruptly() {
        finished = true;
        releaseWaitingBody();
        Channel ch = detach(false);
        if (ch != null) {
            ch.close();
        }
    }

    private void responseEnded() {
        finished = true;
        releaseWaitingBody();
        // Bytes behind the response answer nothing the edge asked: the connection is closed, not pooled.
        boolean reusable = requestDone && HttpUtil.isKeepAlive(head) && connection != null
                && !connection.bytesBeyondResponse();
        Channel ch = detach(reusable);
        if (ch == null) {
            return;
        }
        if (reusable) {
            pool.release(key, ch);
        } else {
            // The origin answered before the whole body was sent, will close, or sent more: not reusable.
            ch.close();
        }
    }

    private void releaseWaitingBody() {
        ByteBuf waiting;
        while (waitingBody != null && (waiting = waitingBody.poll()) != null) {
            waiting.release();
        }
    }

    private Channel detach(boolean pooled) {
        Channel ch = channel;
        if (ch != null) {
            connection.end(pooled);
            channel = null;
            connection = null;
        }
        return ch;
    }
}
