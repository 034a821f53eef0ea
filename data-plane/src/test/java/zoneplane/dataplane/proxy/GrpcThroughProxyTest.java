package zoneplane.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import zoneplane.dataplane.support.GrpcEcho;
import zoneplane.dataplane.support.ProxyExtension;
import zoneplane.dataplane.support.Zones;
import zoneplane.model.Setting;

/** A real grpc-java client and server with the edge between them (h2c on both legs). */
class GrpcThroughProxyTest {

    static final MethodDescriptor.Marshaller<String> TEXT = GrpcEcho.TEXT;

    static final MethodDescriptor<String, String> UNARY = method("Unary", MethodDescriptor.MethodType.UNARY);
    static final MethodDescriptor<String, String> CHAT = method("Chat", MethodDescriptor.MethodType.BIDI_STREAMING);
    static final MethodDescriptor<String, String> FAIL = method("Fail", MethodDescriptor.MethodType.SERVER_STREAMING);

    static final List<Metadata> seenHeaders = new CopyOnWriteArrayList<>();
    static final Server grpcOrigin = startOrigin();

    @RegisterExtension
    static ProxyExtension edge = ProxyExtension.zones(origin -> List.of(
            Zones.zone("grpc-on.test", "http://127.0.0.1:" + grpcOrigin.getPort()).set(Setting.GRPC, "on").build(),
            Zones.zone("grpc-off.test", "http://127.0.0.1:" + grpcOrigin.getPort()).set(Setting.GRPC, "off").build()));

    private ManagedChannel channel;

    static MethodDescriptor<String, String> method(String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<String, String>newBuilder()
                .setType(type)
                .setFullMethodName("zoneplane.test.Echo/" + name)
                .setRequestMarshaller(TEXT)
                .setResponseMarshaller(TEXT)
                .build();
    }

    static Server startOrigin() {
        ServerServiceDefinition service = ServerServiceDefinition.builder("zoneplane.test.Echo")
                .addMethod(UNARY, ServerCalls.asyncUnaryCall((request, reply) -> {
                    reply.onNext("echo:" + request);
                    reply.onCompleted();
                }))
                .addMethod(CHAT, ServerCalls.asyncBidiStreamingCall(reply -> new StreamObserver<String>() {
                    @Override
                    public void onNext(String message) {
                        reply.onNext("re:" + message);
                    }

                    @Override
                    public void onError(Throwable t) {}

                    @Override
                    public void onCompleted() {
                        reply.onCompleted();
                    }
                }))
                .addMethod(FAIL, ServerCalls.asyncServerStreamingCall((request, reply) -> {
                    if (request.equals("after-message")) {
                        reply.onNext("partial");
                    }
                    reply.onError(Status.NOT_FOUND.withDescription("no such thing: " + request).asRuntimeException());
                }))
                .build();
        ServerInterceptor recordHeaders = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                    ServerCallHandler<Q, R> next) {
                seenHeaders.add(headers);
                return next.startCall(call, headers);
            }
        };
        try {
            return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .addService(ServerInterceptors.intercept(service, recordHeaders))
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stopOrigin() throws InterruptedException {
        grpcOrigin.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @BeforeEach
    void clear() {
        seenHeaders.clear();
    }

    @AfterEach
    void closeChannel() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private ManagedChannel channel(String zone) {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", edge.httpPort())
                .usePlaintext()
                .overrideAuthority(zone)
                .build();
        return channel;
    }

    private static CallOptions options() {
        return CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    @Test
    void unaryCallIsProxiedOverHttp2WithIdentityMetadata() {
        String reply = ClientCalls.blockingUnaryCall(channel("grpc-on.test"), UNARY, options(), "hello");

        assertThat(reply).isEqualTo("echo:hello");
        Metadata headers = seenHeaders.get(0);
        assertThat(headers.get(Metadata.Key.of("cf-connecting-ip", Metadata.ASCII_STRING_MARSHALLER)))
                .isEqualTo("127.0.0.1");
        assertThat(headers.get(Metadata.Key.of("cf-ray", Metadata.ASCII_STRING_MARSHALLER))).matches("[0-9a-f]{16}-TST");
    }

    @Test
    void bidiStreamingFlowsBothWaysMessageByMessage() throws Exception {
        BlockingQueue<String> replies = new LinkedBlockingQueue<>();
        BlockingQueue<Object> done = new LinkedBlockingQueue<>();
        StreamObserver<String> requests = ClientCalls.asyncBidiStreamingCall(
                channel("grpc-on.test").newCall(CHAT, options()), new StreamObserver<String>() {
                    @Override
                    public void onNext(String value) {
                        replies.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.add(t);
                    }

                    @Override
                    public void onCompleted() {
                        done.add("completed");
                    }
                });

        for (int i = 0; i < 3; i++) {
            requests.onNext("m" + i);
            // Each reply arrives before the next request is sent: the stream is not buffered to its end.
            assertThat(replies.poll(10, TimeUnit.SECONDS)).isEqualTo("re:m" + i);
        }
        requests.onCompleted();

        assertThat(done.poll(10, TimeUnit.SECONDS)).isEqualTo("completed");
    }

    @Test
    void errorStatusAfterMessagesArrivesInTrailers() {
        var replies = ClientCalls.blockingServerStreamingCall(channel("grpc-on.test"), FAIL, options(), "after-message");

        assertThat(replies.next()).isEqualTo("partial");
        assertThatThrownBy(replies::hasNext)
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).isEqualTo("no such thing: after-message");
                });
    }

    @Test
    void trailersOnlyErrorKeepsStatusAndMessage() {
        var replies = ClientCalls.blockingServerStreamingCall(channel("grpc-on.test"), FAIL, options(), "at-once");

        assertThatThrownBy(replies::hasNext)
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).isEqualTo("no such thing: at-once");
                });
    }

    @Test
    void grpcOffAnswers403AndNeverContactsTheOrigin() {
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel("grpc-off.test"), UNARY, options(), "x"))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        assertThat(seenHeaders).isEmpty();
    }
}
