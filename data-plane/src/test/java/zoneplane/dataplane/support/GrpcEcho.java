package zoneplane.dataplane.support;

import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** A real grpc-java origin with one unary method, {@code zoneplane.test.Echo/Unary}: "x" → "echo:x". */
public final class GrpcEcho {

    /** UTF-8 text as a gRPC message. */
    public static final MethodDescriptor.Marshaller<String> TEXT = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    public static final MethodDescriptor<String, String> UNARY = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("zoneplane.test.Echo/Unary")
            .setRequestMarshaller(TEXT)
            .setResponseMarshaller(TEXT)
            .build();

    private GrpcEcho() {}

    /** Starts the origin on a loopback port; the caller shuts it down. */
    public static Server start() {
        ServerServiceDefinition service = ServerServiceDefinition.builder("zoneplane.test.Echo")
                .addMethod(UNARY, ServerCalls.asyncUnaryCall((request, reply) -> {
                    reply.onNext("echo:" + request);
                    reply.onCompleted();
                }))
                .build();
        try {
            return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(service).build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
