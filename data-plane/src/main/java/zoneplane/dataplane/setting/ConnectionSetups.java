package zoneplane.dataplane.setting;

import io.netty.channel.Channel;
import java.net.SocketAddress;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import reactor.netty.ChannelPipelineConfigurer;
import reactor.netty.ConnectionObserver;
import zoneplane.model.Setting;

/**
 * The node's one list of {@link ConnectionSetup}s, run in their order on each new visitor connection of
 * every listener (Reactor Netty's {@code doOnChannelInit}). Immutable; shared by all event loops.
 */
public record ConnectionSetups(List<ConnectionSetup> setups) implements ChannelPipelineConfigurer {

    public ConnectionSetups {
        setups = List.copyOf(setups);
    }

    public static ConnectionSetups of(ConnectionSetup... setups) {
        return new ConnectionSetups(List.of(setups));
    }

    @Override
    public void onChannelInit(ConnectionObserver observer, Channel channel, SocketAddress remoteAddress) {
        for (ConnectionSetup setup : setups) {
            setup.install(channel);
        }
    }

    /** The catalogue settings implemented per connection. */
    public Set<Setting> settings() {
        Set<Setting> settings = EnumSet.noneOf(Setting.class);
        setups.forEach(setup -> setup.setting().ifPresent(settings::add));
        return settings;
    }
}
