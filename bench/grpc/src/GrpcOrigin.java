import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import java.net.InetSocketAddress;

/**
 * The gRPC benchmark's origin: a grpc-java server on 127.0.0.1 (port chosen by the OS) serving
 * {@link GrpcMethods}; prints {@code ORIGIN <port>} once listening, then runs until killed. Calls run
 * on the transport's threads (direct executor), as grpc-java's own benchmarks do.
 */
public final class GrpcOrigin {

    private GrpcOrigin() {}

    public static void main(String[] args) throws Exception {
        ServerServiceDefinition service = ServerServiceDefinition.builder(GrpcMethods.SERVICE)
                .addMethod(GrpcMethods.UNARY, ServerCalls.asyncUnaryCall((request, reply) -> {
                    reply.onNext(request);
                    reply.onCompleted();
                }))
                .addMethod(GrpcMethods.STREAM, ServerCalls.asyncServerStreamingCall((request, reply) -> {
                    int messages = request.length == 0 ? 1 : Byte.toUnsignedInt(request[0]);
                    for (int i = 0; i < messages; i++) {
                        reply.onNext(request);
                    }
                    reply.onCompleted();
                }))
                .build();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .directExecutor()
                .addService(service)
                .build()
                .start();
        System.out.println("ORIGIN " + server.getPort());
        System.out.flush();
        server.awaitTermination();
    }
}
