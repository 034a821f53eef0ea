package zoneplane.dataplane.proxy;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SelectStrategy;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.channels.spi.SelectorProvider;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;
import zoneplane.dataplane.config.EventLoopSettings;

/**
 * The event loops every proxy listener and origin client of one node runs on (instead of Reactor
 * Netty's shared default of {@code max(4, cores)} loops): {@link EventLoopSettings#count()} loops on
 * epoll where the platform has it, else NIO. Visitor connections, their pooled origin connections,
 * WebSockets and gRPC streams all share them, and an origin connection opened for a visitor stays on
 * the visitor's loop, so a request never changes thread on its way.
 *
 * <p>With {@link EventLoopSettings#busyPoll()} each loop asks the kernel for ready sockets without a
 * timeout and asks again at once, running its queued and scheduled tasks in between, instead of
 * sleeping in {@code epoll_wait}: the same trade as HAProxy's {@code busy-polling}.
 */
public final class EdgeEventLoops implements LoopResources {

    /** Never block: poll now, handle what is ready (possibly nothing), run tasks, poll again. */
    private static final SelectStrategy POLL_WITHOUT_SLEEP = (selectNow, hasTasks) -> selectNow.get();

    private final EventLoopGroup group;
    /**
     * The same loops for clients, colocated: a connection opened from a loop (a visitor's WebSocket or
     * gRPC origin connection) stays on that loop, as with Reactor Netty's own default resources, so the
     * visitor's and the origin's side of one exchange never run on two threads at once.
     */
    private final EventLoopGroup clients;
    private final boolean epoll;

    /** @param nodeId names the threads ({@code zoneplane-edge-<node>-…}), which thread dumps then attribute */
    public EdgeEventLoops(String nodeId, EventLoopSettings settings) {
        this.epoll = Epoll.isAvailable();
        IoHandlerFactory io;
        if (epoll) {
            io = settings.busyPoll() ? EpollIoHandler.newFactory(0, () -> POLL_WITHOUT_SLEEP) : EpollIoHandler.newFactory();
        } else {
            io = settings.busyPoll()
                    ? NioIoHandler.newFactory(SelectorProvider.provider(), () -> POLL_WITHOUT_SLEEP)
                    : NioIoHandler.newFactory();
        }
        this.group = new MultiThreadIoEventLoopGroup(settings.count(),
                new DefaultThreadFactory(threadPrefix(nodeId), true), io);
        this.clients = LoopResources.colocate(group);
    }

    /** What the names of a node's event-loop threads start with. */
    public static String threadPrefix(String nodeId) {
        return "zoneplane-edge-" + nodeId;
    }

    @Override
    public EventLoopGroup onServer(boolean useNative) {
        return group;
    }

    @Override
    public EventLoopGroup onClient(boolean useNative) {
        return clients;
    }

    @Override
    public boolean daemon() {
        return true;
    }

    /** Whether the loops use the native epoll transport (false: NIO). */
    public boolean nativeTransport() {
        return epoll;
    }

    @Override
    public boolean isDisposed() {
        return group.isShuttingDown();
    }

    @Override
    public Mono<Void> disposeLater(Duration quietPeriod, Duration timeout) {
        return Mono.defer(() -> {
            if (group.isShutdown()) {
                return Mono.empty();
            }
            return Mono.create(sink -> group.shutdownGracefully(quietPeriod.toMillis(), timeout.toMillis(),
                            TimeUnit.MILLISECONDS)
                    .addListener(done -> sink.success()));
        });
    }
}
