package zoneplane.dataplane.origin;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import reactor.core.publisher.Operators;

/**
 * An origin response body as a publisher for the visitor's response, with back-pressure: while the
 * visitor's side has no demand the origin connection stops reading (TCP then slows the origin).
 * Chunks a single read decoded beyond the demand wait in a small queue.
 *
 * <p>Everything runs on the event loop the visitor and origin connections share; {@link #request}
 * and {@link #cancel} hop onto it when called from elsewhere.
 */
final class OriginBody implements Publisher<ByteBuf>, Subscription {

    private final EventLoop loop;
    private final OriginCall call;
    private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>(4);
    private Subscriber<? super ByteBuf> subscriber;
    private long demand;
    private boolean complete;
    private Throwable error;
    private boolean terminated;

    OriginBody(EventLoop loop, OriginCall call) {
        this.loop = loop;
        this.call = call;
    }

    @Override
    public void subscribe(Subscriber<? super ByteBuf> s) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> subscribe(s));
            return;
        }
        if (subscriber != null) {
            Operators.error(s, new IllegalStateException("an origin body can be read once"));
            return;
        }
        subscriber = s;
        s.onSubscribe(this);
        drain();
    }

    @Override
    public void request(long n) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> request(n));
            return;
        }
        if (n <= 0 || terminated) {
            return;
        }
        demand = Operators.addCap(demand, n);
        drain();
        if (demand > 0 && !complete) {
            call.resumeResponse();
        }
    }

    @Override
    public void cancel() {
        if (!loop.inEventLoop()) {
            loop.execute(this::cancel);
            return;
        }
        if (terminated) {
            return;
        }
        terminated = true;
        release();
        call.cancel();
    }

    /** A decoded chunk from the origin (ownership passes here). */
    void push(ByteBuf chunk) {
        if (terminated) {
            chunk.release();
            return;
        }
        queue.add(chunk);
        drain();
        if (demand == 0) {
            call.pauseResponse();
        }
    }

    void complete() {
        complete = true;
        drain();
    }

    void fail(Throwable cause) {
        if (!complete) {
            release();
            error = cause;
            complete = true;
        }
        drain();
    }

    private void drain() {
        if (subscriber == null || terminated) {
            return;
        }
        while (demand > 0 && !queue.isEmpty()) {
            demand--;
            subscriber.onNext(queue.poll());
            if (terminated) {
                return;
            }
        }
        if (complete && queue.isEmpty()) {
            terminated = true;
            if (error != null) {
                subscriber.onError(error);
            } else {
                subscriber.onComplete();
            }
        }
    }

    private void release() {
        ByteBuf chunk;
        while ((chunk = queue.poll()) != null) {
            chunk.release();
        }
    }
}
