package zoneplane.system.contract;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import zoneplane.dataplane.view.ZoneView;
import zoneplane.testing.InProcessNode;

/**
 * The contract for a node whose control plane is down and which serves its last good view from its
 * disk cache: each subclass leaves the cache as one kind of node would have left it.
 */
abstract class DiskCacheViewSourceContract extends ViewSourceContract {

    private static final long REVISION = 52;

    /** Leaves {@code view} in {@code cacheDir} in this subclass's format. */
    protected abstract void writeCache(Path cacheDir, ZoneView view) throws Exception;

    @Override
    protected final InProcessNode startNode(Path dir) throws Exception {
        Path cache = Files.createDirectories(dir.resolve("cache"));
        writeCache(cache, ZoneView.of(REVISION, view()));
        // Nothing listens on the control plane's port: the node has only its cache to serve from.
        return InProcessNode.subscribedTo("http://127.0.0.1:" + closedPort(), "contract-node-token", "contract-cached",
                cache);
    }

    @Override
    protected final long revision() {
        return REVISION;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
