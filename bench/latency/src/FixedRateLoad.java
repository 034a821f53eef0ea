import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * A constant-rate (open-loop) HTTP/1.1 keep-alive load generator in the manner of wrk2: each of N
 * connections sends GETs on its own fixed schedule, and a request's latency counts from the moment
 * it was <em>scheduled</em>, not from when it was sent. A server that stalls therefore shows the
 * whole stall in the percentiles (no coordinated omission), which a closed-loop tool like wrk hides.
 *
 * <p>Arguments: {@code port rate seconds warmupSeconds connections hostHeader}. Prints one line of
 * {@code key=value} pairs (rates in requests/s, latencies in milliseconds) for scripts to read.
 */
public final class FixedRateLoad {

    private static final long MAX_LATENCY_NANOS = TimeUnit.SECONDS.toNanos(30);

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: FixedRateLoad port rate seconds warmupSeconds connections hostHeader");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        double rate = Double.parseDouble(args[1]);
        int seconds = Integer.parseInt(args[2]);
        int warmup = Integer.parseInt(args[3]);
        int connections = Integer.parseInt(args[4]);
        String host = args[5];
        if (rate <= 0 || seconds < 1 || seconds > 300 || warmup < 0 || warmup > 60 || connections < 1 || connections > 1024) {
            System.err.println("need rate > 0, seconds 1..300, warmup 0..60, connections 1..1024");
            System.exit(2);
        }
        byte[] request = ("GET / HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: zoneplane-fixed-rate\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        long intervalNanos = (long) (1e9 * connections / rate);
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        long measureFrom = start + TimeUnit.SECONDS.toNanos(warmup);
        long end = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
        AtomicLong errors = new AtomicLong();
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            // Stagger the connections so the aggregate schedule is evenly spaced, not bursts of N.
            Worker worker = new Worker(port, request, start + intervalNanos * i / connections, intervalNanos,
                    measureFrom, end, errors);
            workers.add(worker);
            worker.start();
        }
        Histogram all = new Histogram(MAX_LATENCY_NANOS, 3);
        for (Worker worker : workers) {
            worker.join(TimeUnit.SECONDS.toMillis(warmup + seconds + 60L));
            if (worker.isAlive()) {
                worker.interrupt();
                worker.closeQuietly();
                worker.join(5_000);
            }
            all.add(worker.histogram);
        }
        long count = all.getTotalCount();
        System.out.printf(Locale.ROOT,
                "target_rps=%.0f achieved_rps=%.0f requests=%d errors=%d p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f%n",
                rate, count / (double) seconds, count, errors.get(), ms(all.getValueAtPercentile(50)),
                ms(all.getValueAtPercentile(90)), ms(all.getValueAtPercentile(99)), ms(all.getValueAtPercentile(99.9)),
                ms(all.getMaxValue()));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** One keep-alive connection on its own fixed schedule. */
    private static final class Worker extends Thread {
        private final int port;
        private final byte[] request;
        private final long first;
        private final long interval;
        private final long measureFrom;
        private final long end;
        private final AtomicLong errors;
        final Histogram histogram = new Histogram(MAX_LATENCY_NANOS, 3);
        private volatile Socket socket;

        Worker(int port, byte[] request, long first, long interval, long measureFrom, long end, AtomicLong errors) {
            super("fixed-rate-" + first);
            setDaemon(true);
            this.port = port;
            this.request = request;
            this.first = first;
            this.interval = interval;
            this.measureFrom = measureFrom;
            this.end = end;
            this.errors = errors;
        }

        @Override
        public void run() {
            InputStream in = null;
            OutputStream out = null;
            for (long intended = first; intended < end && !isInterrupted(); intended += interval) {
                long wait = intended - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                try {
                    if (socket == null) {
                        Socket s = new Socket();
                        s.setTcpNoDelay(true);
                        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                        s.setSoTimeout(10_000);
                        socket = s;
                        in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
                        out = s.getOutputStream();
                    }
                    out.write(request);
                    out.flush();
                    Response response = readResponse(in);
                    long latency = System.nanoTime() - intended;
                    if (response.close()) {
                        closeQuietly();
                    }
                    int status = response.status();
                    if (intended >= measureFrom) {
                        histogram.recordValue(Math.min(latency, MAX_LATENCY_NANOS));
                        if (status != 200) {
                            errors.incrementAndGet();
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    if (intended >= measureFrom) {
                        errors.incrementAndGet();
                    }
                    closeQuietly();
                }
            }
            closeQuietly();
        }

        void closeQuietly() {
            Socket s = socket;
            socket = null;
            if (s != null) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing a failed connection: nothing more to do
                }
            }
        }
    }

    /** A response's status code and whether the server is closing the connection after it. */
    record Response(int status, boolean close) {}

    /** Reads one response (Content-Length or chunked body). */
    static Response readResponse(InputStream in) throws IOException {
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            if (name.equals("content-length")) {
                length = Long.parseLong(value);
            } else if (name.equals("transfer-encoding") && value.contains("chunked")) {
                chunked = true;
            } else if (name.equals("connection") && value.contains("close")) {
                close = true;
            }
        }
        if (chunked) {
            for (long size = Long.parseLong(line(in).split(";")[0].trim(), 16); size > 0;
                    size = Long.parseLong(line(in).split(";")[0].trim(), 16)) {
                skip(in, size);
                line(in);
            }
            for (String trailer = line(in); !trailer.isEmpty(); trailer = line(in)) {
                // trailers are not used
            }
        } else if (length >= 0) {
            skip(in, length);
        } else {
            throw new IOException("response without a length on a keep-alive connection");
        }
        return new Response(status, close);
    }

    private static void skip(InputStream in, long n) throws IOException {
        while (n > 0) {
            long skipped = in.skip(n);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException("connection closed mid-body");
                }
                skipped = 1;
            }
            n -= skipped;
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                sb.append((char) c);
            }
            if (sb.length() > 16 * 1024) {
                throw new IOException("header line too long");
            }
        }
        return sb.toString();
    }
}
