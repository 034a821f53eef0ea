import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The two methods of the gRPC benchmark, on raw bytes (no protobuf: what is measured is the proxy, not
 * message encoding): {@code zoneplane.bench.Echo/Unary} answers the request's bytes, and
 * {@code zoneplane.bench.Echo/Stream} answers as many messages as the request's first byte says, each
 * the request's bytes.
 */
final class GrpcMethods {

    static final String SERVICE = "zoneplane.bench.Echo";

    static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    static final MethodDescriptor<byte[], byte[]> UNARY = method(MethodDescriptor.MethodType.UNARY, "Unary");
    static final MethodDescriptor<byte[], byte[]> STREAM = method(MethodDescriptor.MethodType.SERVER_STREAMING, "Stream");

    private GrpcMethods() {}

    private static MethodDescriptor<byte[], byte[]> method(MethodDescriptor.MethodType type, String name) {
        return MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(type)
                .setFullMethodName(SERVICE + "/" + name)
                .setRequestMarshaller(BYTES)
                .setResponseMarshaller(BYTES)
                .build();
    }
}
