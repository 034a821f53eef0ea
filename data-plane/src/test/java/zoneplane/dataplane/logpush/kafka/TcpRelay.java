package zoneplane.dataplane.logpush.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP relay on a port chosen before it listens: stands for a bootstrap broker that is down
 * (the port refuses connections) and then up (the relay forwards to the real broker). Threads are daemons
 * and stop when the relay is closed.
 */
final class TcpRelay implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private TcpRelay(ServerSocket server, InetSocketAddress target) {
        this.server = server;
        daemon(() -> {
            while (!server.isClosed()) {
                try {
                    Socket visitor = server.accept();
                    Socket broker = new Socket(target.getAddress(), target.getPort());
                    sockets.add(visitor);
                    sockets.add(broker);
                    daemon(() -> pump(visitor, broker));
                    daemon(() -> pump(broker, visitor));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    /** A port nothing listens on now (it was free a moment ago). */
    static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    static TcpRelay listen(int port, InetSocketAddress target) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return new TcpRelay(server, target);
    }

    private static void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int read; (read = in.read(buffer)) >= 0;) {
                out.write(buffer, 0, read);
            }
        } catch (IOException e) {
            // one side closed: the relay of this connection ends
        }
    }

    private static void daemon(Runnable task) {
        Thread thread = new Thread(task, "tcp-relay");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
