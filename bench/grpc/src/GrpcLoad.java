import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Closed-loop gRPC load: {@code connections} channels to 127.0.0.1:{@code port} (plaintext, h2c prior
 * knowledge, {@code :authority} = the zone's host), each keeping {@code perConnection} calls in flight
 * and starting the next as one ends. {@code unary}: one message each way; {@code stream}: a server
 * stream of {@code streamMessages} messages per call. Each channel first completes one unary call (it
 * connects, and a cold JVM loads its classes, before any clock starts; failing it fails the run).
 * After {@code warmupSeconds} unrecorded it
 * measures {@code seconds} and prints
 * {@code RESULT calls=… calls_per_s=… messages_per_s=… p50_ms=… p99_ms=… p999_ms=… errors=…}
 * (latency of whole calls, HdrHistogram).
 *
 * <p>Usage: {@code GrpcLoad port authority unary|stream connections perConnection seconds warmupSeconds
 * payloadBytes streamMessages}
 */
public final class GrpcLoad {

    private final Recorder latency = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong firstErrors = new AtomicLong();
    // a failed call's successor starts a little later, from here: never recursively on a failing channel
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "grpc-load-retry");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean running = true;
    private final MethodDescriptor<byte[], byte[]> method;
    private final byte[] request;

    private GrpcLoad(MethodDescriptor<byte[], byte[]> method, byte[] request) {
        this.method = method;
        this.request = request;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 9 || !(args[2].equals("unary") || args[2].equals("stream"))) {
            System.err.println("usage: GrpcLoad port authority unary|stream connections perConnection seconds warmupSeconds payloadBytes streamMessages");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        int connections = Integer.parseInt(args[3]);
        int perConnection = Integer.parseInt(args[4]);
        int seconds = Integer.parseInt(args[5]);
        int warmup = Integer.parseInt(args[6]);
        int payload = Integer.parseInt(args[7]);
        int streamMessages = Integer.parseInt(args[8]);
        if (connections < 1 || connections > 256 || perConnection < 1 || perConnection > 1000 || seconds < 1
                || seconds > 600 || warmup < 0 || warmup > 300 || payload < 1 || payload > 1 << 20
                || streamMessages < 1 || streamMessages > 255) {
            System.err.println("need connections 1..256, perConnection 1..1000, seconds 1..600, warmup 0..300, payload 1..1MiB, streamMessages 1..255");
            System.exit(2);
        }
        byte[] request = new byte[payload];
        Arrays.fill(request, (byte) 'x');
        request[0] = (byte) streamMessages; // the stream method's message count; echoed back by unary
        boolean unary = args[2].equals("unary");
        GrpcLoad load = new GrpcLoad(unary ? GrpcMethods.UNARY : GrpcMethods.STREAM, request);
        List<ManagedChannel> channels = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port)
                    .usePlaintext()
                    .overrideAuthority(args[1])
                    .directExecutor()
                    .build();
            channels.add(channel);
            ClientCalls.blockingUnaryCall(channel, GrpcMethods.UNARY,
                    CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS), request);
        }
        for (ManagedChannel channel : channels) {
            for (int i = 0; i < perConnection; i++) {
                load.next(channel);
            }
        }
        Thread.sleep(TimeUnit.SECONDS.toMillis(warmup));
        load.latency.getIntervalHistogram(); // discards the warm-up
        long calls0 = load.calls.get();
        long messages0 = load.messages.get();
        long errors0 = load.errors.get();
        long start = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        double elapsed = (System.nanoTime() - start) / 1e9;
        Histogram histogram = load.latency.getIntervalHistogram();
        long measuredCalls = load.calls.get() - calls0;
        load.running = false;
        System.out.printf(Locale.ROOT,
                "RESULT calls=%d calls_per_s=%.1f messages_per_s=%.1f p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f errors=%d%n",
                measuredCalls, measuredCalls / elapsed, (load.messages.get() - messages0) / elapsed,
                histogram.getValueAtPercentile(50) / 1e6, histogram.getValueAtPercentile(99) / 1e6,
                histogram.getValueAtPercentile(99.9) / 1e6, histogram.getMaxValue() / 1e6, load.errors.get() - errors0);
        System.out.flush();
        for (ManagedChannel channel : channels) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        System.exit(0);
    }

    /** Starts one call on the channel; when it ends (either way) the next starts, until the run ends. */
    private void next(ManagedChannel channel) {
        if (!running) {
            return;
        }
        long started = System.nanoTime();
        ClientCall<byte[], byte[]> call = channel.newCall(method, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS));
        StreamObserver<byte[]> observer = new StreamObserver<>() {
            @Override
            public void onNext(byte[] value) {
                messages.incrementAndGet();
            }

            @Override
            public void onError(Throwable t) {
                errors.incrementAndGet();
                if (firstErrors.getAndIncrement() < 3) {
                    System.err.println("call failed: " + t);
                }
                if (running) {
                    retries.schedule(() -> next(channel), 10, TimeUnit.MILLISECONDS);
                }
            }

            @Override
            public void onCompleted() {
                latency.recordValue(Math.min(System.nanoTime() - started, TimeUnit.SECONDS.toNanos(60)));
                calls.incrementAndGet();
                next(channel);
            }
        };
        if (method.getType() == MethodDescriptor.MethodType.UNARY) {
            ClientCalls.asyncUnaryCall(call, request, observer);
        } else {
            ClientCalls.asyncServerStreamingCall(call, request, observer);
        }
    }
}
