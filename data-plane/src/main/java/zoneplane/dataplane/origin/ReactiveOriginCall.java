package zoneplane.dataplane.origin;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * An {@link OriginCall} for Reactor Netty's side of the edge (HTTP/2 visitors): the request body comes
 * as a publisher, the response as a {@link Mono} of its head with a body publisher. Back-pressure
 * crosses both ways: one body chunk is requested at a time while the origin connection is writable,
 * and the origin is read only while the visitor's response has demand.
 */
final class ReactiveOriginCall implements OriginReceiver {

    private final EventLoop loop;
    private final MonoSink<OriginResponse> sink;
    private final BodyWriter writer;
    private OriginCall call;
    private OriginBody responseBody;

    private ReactiveOriginCall(EventLoop loop, MonoSink<OriginResponse> sink, Publisher<ByteBuf> body) {
        this.loop = loop;
        this.sink = sink;
        this.writer = body == null ? null : new BodyWriter(body);
    }

    /** The call made by {@code factory}, started when the Mono is subscribed. */
    static Mono<OriginResponse> start(EventLoop loop, Publisher<ByteBuf> body,
            java.util.function.Function<OriginReceiver, OriginCall> factory) {
        return Mono.create(sink -> {
            ReactiveOriginCall bridge = new ReactiveOriginCall(loop, sink, body);
            sink.onCancel(() -> bridge.onLoop(bridge::cancel));
            bridge.onLoop(() -> {
                bridge.call = factory.apply(bridge);
                bridge.call.start();
                if (bridge.writer != null) {
                    bridge.writer.start();
                }
            });
        });
    }

    private void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    private void cancel() {
        if (call != null) {
            call.cancel();
        }
        if (writer != null) {
            writer.dispose();
        }
    }

    @Override
    public void response(HttpResponse head, HttpContent first) {
        Publisher<ByteBuf> relayed;
        if (first instanceof LastHttpContent) {
            // The whole response came in one read: the visitor's side can send it in one write.
            relayed = Mono.just(first.content());
        } else {
            responseBody = new OriginBody(loop, call);
            responseBody.push(first.content());
            relayed = responseBody;
        }
        sink.success(new OriginResponse(head.status(), head.headers(), relayed, call.originAddress()));
    }

    @Override
    public void content(HttpContent content) {
        responseBody.push(content.content());
        if (content instanceof LastHttpContent) {
            responseBody.complete();
        }
    }

    @Override
    public void failed(Throwable cause) {
        if (writer != null) {
            writer.dispose();
        }
        if (responseBody == null) {
            sink.error(cause);
        } else {
            responseBody.fail(cause);
        }
    }

    @Override
    public void bodyWritable() {
        if (writer != null) {
            writer.writable();
        }
    }

    /** Streams the visitor's request body into the call one chunk at a time. */
    private final class BodyWriter extends BaseSubscriber<ByteBuf> {

        private final Publisher<ByteBuf> body;
        private boolean waitingForWritability;

        BodyWriter(Publisher<ByteBuf> body) {
            this.body = body;
        }

        void start() {
            body.subscribe(this);
        }

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            subscription.request(1);
        }

        @Override
        protected void hookOnNext(ByteBuf chunk) {
            // Reactor Netty releases the chunk after onNext: the call needs its own reference.
            call.sendBody(chunk.retain());
            if (call.bodyWritable()) {
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
            call.endBody();
        }

        @Override
        protected void hookOnError(Throwable error) {
            call.fail(error);
        }
    }
}
