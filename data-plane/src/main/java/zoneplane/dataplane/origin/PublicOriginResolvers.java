package zoneplane.dataplane.origin;

import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.FutureListener;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Optional;
import zoneplane.model.ProhibitedAddresses;

/**
 * Resolver groups that let the edge connect only to public addresses: every address an origin
 * resolves to (or is, for an IP literal) is checked with {@link ProhibitedAddresses} after the
 * lookup and before the connection, so a host name that a tenant points at 127.0.0.1 or
 * 169.254.169.254 after the control plane accepted it (DNS rebinding) fails with
 * {@link ProhibitedOriginException} and nothing is connected. If any of a name's addresses is
 * prohibited the name is refused (a name that mixes public and private addresses is not an origin).
 *
 * <p>The check also applies to addresses already resolved (IP literals): the resolvers report no
 * address as resolved, so Netty's and Reactor Netty's connectors always ask them. Thread-safe; the
 * check is a few comparisons on the address bytes, on the event loop.
 */
public final class PublicOriginResolvers {

    private PublicOriginResolvers() {}

    /** {@code names} (which resolves host names), with every result checked. Closing it does not close {@code names}. */
    public static AddressResolverGroup<InetSocketAddress> checking(AddressResolverGroup<? extends SocketAddress> names) {
        return new Group(names);
    }

    private static final class Group extends AddressResolverGroup<InetSocketAddress> {
        private final AddressResolverGroup<? extends SocketAddress> names;

        Group(AddressResolverGroup<? extends SocketAddress> names) {
            this.names = names;
        }

        @Override
        @SuppressWarnings("unchecked")
        protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
            return new Checking(executor, (AddressResolver<InetSocketAddress>) names.getResolver(executor));
        }

        @Override
        public String toString() {
            return "PublicOriginResolvers[" + names.getClass().getSimpleName() + "]";
        }
    }

    private static final class Checking implements AddressResolver<InetSocketAddress> {
        private final EventExecutor executor;
        private final AddressResolver<InetSocketAddress> names;

        Checking(EventExecutor executor, AddressResolver<InetSocketAddress> names) {
            this.executor = executor;
            this.names = names;
        }

        @Override
        public boolean isSupported(SocketAddress address) {
            return address instanceof InetSocketAddress;
        }

        @Override
        public boolean isResolved(SocketAddress address) {
            return false;
        }

        @Override
        public Future<InetSocketAddress> resolve(SocketAddress address) {
            return resolve(address, executor.newPromise());
        }

        @Override
        public Future<InetSocketAddress> resolve(SocketAddress address, Promise<InetSocketAddress> promise) {
            InetSocketAddress target = (InetSocketAddress) address;
            if (!target.isUnresolved()) {
                return complete(promise, target.getHostString(), List.of(target), target);
            }
            names.resolve(target).addListener((FutureListener<InetSocketAddress>) done -> {
                if (done.isSuccess()) {
                    complete(promise, target.getHostString(), List.of(done.getNow()), done.getNow());
                } else {
                    promise.tryFailure(done.cause());
                }
            });
            return promise;
        }

        @Override
        public Future<List<InetSocketAddress>> resolveAll(SocketAddress address) {
            return resolveAll(address, executor.newPromise());
        }

        @Override
        public Future<List<InetSocketAddress>> resolveAll(SocketAddress address, Promise<List<InetSocketAddress>> promise) {
            InetSocketAddress target = (InetSocketAddress) address;
            if (!target.isUnresolved()) {
                return complete(promise, target.getHostString(), List.of(target), List.of(target));
            }
            names.resolveAll(target).addListener((FutureListener<List<InetSocketAddress>>) done -> {
                if (done.isSuccess()) {
                    complete(promise, target.getHostString(), done.getNow(), done.getNow());
                } else {
                    promise.tryFailure(done.cause());
                }
            });
            return promise;
        }

        private static <T> Promise<T> complete(Promise<T> promise, String host, List<InetSocketAddress> resolved, T result) {
            for (InetSocketAddress address : resolved) {
                Optional<String> reason = ProhibitedAddresses.reason(address.getAddress());
                if (reason.isPresent()) {
                    promise.tryFailure(new ProhibitedOriginException(host, address.getAddress(), reason.get()));
                    return promise;
                }
            }
            promise.trySuccess(result);
            return promise;
        }

        @Override
        public void close() {
            // the name resolver belongs to its own group, which its owner closes
        }
    }
}
