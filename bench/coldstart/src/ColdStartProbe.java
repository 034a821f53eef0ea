import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Starts the data-plane JVM and measures the wall time from just before the process is started to
 * the first 200 through the proxy, polling as tightly as the loopback allows (a connect attempt every
 * 0.2 ms until the port is open, then a GET per attempt). The node is then stopped (SIGTERM, then
 * SIGKILL after 10 s), also if this JVM is interrupted.
 *
 * <p>Arguments: {@code timeoutSeconds port hostHeader logFile command...}; the node's environment is
 * this process's. Prints {@code first_200_ms=<ms> polls=<n> pid=<pid> start_epoch_ms=<ms> cpu_ms=<ms>} or
 * exits 1 on timeout. {@code cpu_ms} is the CPU time (user + system, all threads) the node had used at
 * its first 200, from {@code /proc/<pid>/stat} (-1 where there is none): unlike the wall time it barely
 * moves with what else runs on a shared machine.
 */
public final class ColdStartProbe {

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: ColdStartProbe timeoutSeconds port hostHeader logFile command...");
            System.exit(2);
        }
        long timeout = TimeUnit.SECONDS.toNanos(Integer.parseInt(args[0]));
        int port = Integer.parseInt(args[1]);
        String host = args[2];
        Path log = Path.of(args[3]);
        List<String> command = new ArrayList<>(List.of(args).subList(4, args.length));
        byte[] request = ("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        long startEpochMillis = System.currentTimeMillis();
        long start = System.nanoTime();
        Process node = builder.start();
        Thread stopper = new Thread(() -> stop(node));
        Runtime.getRuntime().addShutdownHook(stopper);
        int polls = 0;
        int lastStatus = -1;
        try {
            while (System.nanoTime() - start < timeout) {
                if (!node.isAlive()) {
                    System.err.println("the node exited with status " + node.exitValue() + " before answering 200; log: " + log);
                    System.exit(1);
                }
                polls++;
                lastStatus = get(port, request);
                if (lastStatus == 200) {
                    long elapsed = System.nanoTime() - start;
                    System.out.printf("first_200_ms=%.1f polls=%d pid=%d start_epoch_ms=%d cpu_ms=%d%n", elapsed / 1e6, polls,
                            node.pid(), startEpochMillis, cpuMillis(node.pid()));
                    return;
                }
                LockSupport.parkNanos(200_000);
            }
            System.err.printf("no 200 within %d s (last status %d); log: %s%n", TimeUnit.NANOSECONDS.toSeconds(timeout), lastStatus, log);
            System.exit(1);
        } finally {
            stop(node);
        }
    }

    /** Status of one GET, or -1 while nothing listens / the connection fails. */
    private static int get(int port, byte[] request) {
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c >= 0 && c != '\n' && line.length() < 200; c = in.read()) {
                line.append((char) c);
            }
            String[] parts = line.toString().split(" ");
            return parts.length >= 2 && parts[0].startsWith("HTTP/") ? Integer.parseInt(parts[1]) : -2;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** utime + stime of {@code pid} in ms (fields 14 and 15 of /proc/pid/stat, in clock ticks of 10 ms). */
    private static long cpuMillis(long pid) {
        try {
            String stat = java.nio.file.Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10; // USER_HZ is 100 on Linux
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static void stop(Process node) {
        if (!node.isAlive()) {
            return;
        }
        node.destroy();
        try {
            if (!node.waitFor(10, TimeUnit.SECONDS)) {
                node.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            node.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
