package zoneplane.system;

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
 * A loopback TCP relay between one data-plane node and the control-plane replicas: what a load
 * balancer in front of the control plane does (each new connection goes to the next replica that
 * accepts it, so a dead replica is skipped), plus a switch for the test to partition the node:
 * {@link #cut()} drops every open connection and refuses new ones until {@link #restore()}.
 */
final class TcpRelay implements AutoCloseable {

    private final ServerSocket server;
    private final List<Integer> targetPorts;
    private final AtomicInteger next = new AtomicInteger();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;
    private volatile boolean closed;

    TcpRelay(String name, List<Integer> targetPorts) throws IOException {
        this.targetPorts = List.copyOf(targetPorts);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "relay-" + name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    /** Partition: every open connection is closed now and new ones are closed on arrival. */
    void cut() {
        cut = true;
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        sockets.clear();
    }

    void restore() {
        cut = false;
    }

    boolean isCut() {
        return cut;
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

    /** Round robin over the targets, skipping any that refuses the connection. */
    private Socket connectToSomeTarget() {
        int start = Math.floorMod(next.getAndIncrement(), targetPorts.size());
        for (int i = 0; i < targetPorts.size(); i++) {
            int port = targetPorts.get((start + i) % targetPorts.size());
            Socket upstream = new Socket();
            try {
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
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
            }
        }, "relay-pipe");
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
}
