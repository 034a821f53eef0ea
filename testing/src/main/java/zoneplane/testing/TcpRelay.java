package zoneplane.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP relay in front of one or more servers (control-plane replicas, an origin), with the
 * network faults tests need. Each new connection goes to the next target that accepts it (round robin,
 * a refusing target is skipped), as a load balancer does. Faults:
 * <ul>
 *   <li>{@link #dropAll()}: every open connection is closed (both sides); new ones are still accepted;
 *   <li>{@link #cut()}: a partition: open connections are closed and new ones refused until {@link #restore()};
 *   <li>{@link #silenceAll()}: open connections stay open but deliver nothing more (a peer gone without
 *       FIN or RST); new connections work normally.
 * </ul>
 * Shared by the system tests (the testing module).
 * Thread-safe; blocking I/O on daemon threads, one per direction of each connection.
 */
public final class TcpRelay implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MILLIS = 2000;

    private final String name;
    private final ServerSocket server;
    private final List<Integer> targetPorts;
    private final AtomicInteger next = new AtomicInteger();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Set<Socket> silenced = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;
    private volatile boolean closed;

    /** A relay to the servers on {@code targetPorts} of the loopback address, listening on a free loopback port. */
    public TcpRelay(String name, List<Integer> targetPorts) throws IOException {
        if (targetPorts.isEmpty()) {
            throw new IllegalArgumentException("a relay needs at least one target port");
        }
        this.name = name;
        this.targetPorts = List.copyOf(targetPorts);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "relay-" + name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** Closes every open connection (both sides) now; new connections are still accepted. */
    public void dropAll() {
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        sockets.clear();
    }

    /** Partition: every open connection is closed now and new ones are closed on arrival. */
    public void cut() {
        cut = true;
        dropAll();
    }

    /** Ends a {@link #cut()}: new connections are relayed again. */
    public void restore() {
        cut = false;
    }

    public boolean isCut() {
        return cut;
    }

    /** Open connections stop delivering bytes in both directions but stay open; new ones work normally. */
    public void silenceAll() {
        silenced.addAll(sockets);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            if (cut) {
                closeQuietly(client);
                continue;
            }
            Socket upstream = connectToSomeTarget();
            if (upstream == null) {
                closeQuietly(client);
                continue;
            }
            sockets.add(client);
            sockets.add(upstream);
            if (cut) { // cut while we were connecting
                closeQuietly(client);
                closeQuietly(upstream);
                continue;
            }
            pipe(client, upstream);
            pipe(upstream, client);
        }
    }

    /** Round robin over the targets, skipping any that refuses the connection; null when all refuse. */
    private Socket connectToSomeTarget() {
        int start = Math.floorMod(next.getAndIncrement(), targetPorts.size());
        for (int i = 0; i < targetPorts.size(); i++) {
            int port = targetPorts.get((start + i) % targetPorts.size());
            Socket upstream = new Socket();
            try {
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), CONNECT_TIMEOUT_MILLIS);
                return upstream;
            } catch (IOException refused) {
                closeQuietly(upstream);
            }
        }
        return null;
    }

    private void pipe(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (silenced.contains(from)) {
                        continue; // swallowed: the other side hears nothing
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // one side went away: both are closed below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
                silenced.remove(from);
                silenced.remove(to);
            }
        }, "relay-" + name + "-pipe");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        cut();
    }

    @Override
    public String toString() {
        return "TcpRelay[" + name + " 127.0.0.1:" + port() + " -> " + targetPorts + (cut ? ", cut" : "") + "]";
    }
}
