package zoneplane.dataplane.setting;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import zoneplane.model.Setting;

class ConnectionSetupsTest {

    /** Records the connections it was asked to equip, under its name. */
    private record Recording(String name, Optional<Setting> setting, List<String> log) implements ConnectionSetup {
        @Override
        public void install(Channel channel) {
            log.add(name + "@" + channel.id().asShortText());
        }
    }

    @Test
    void everyNewConnectionIsEquippedByEachSetupOnceInRegistrationOrder() {
        List<String> log = new ArrayList<>();
        ConnectionSetups setups = ConnectionSetups.of(new Recording("first", Optional.empty(), log),
                new Recording("second", Optional.of(Setting.GRPC), log));
        EmbeddedChannel one = new EmbeddedChannel();
        EmbeddedChannel two = new EmbeddedChannel();

        setups.onChannelInit(null, one, null);
        setups.onChannelInit(null, two, null);

        String a = one.id().asShortText();
        String b = two.id().asShortText();
        assertThat(log).containsExactly("first@" + a, "second@" + a, "first@" + b, "second@" + b);
        one.finishAndReleaseAll();
        two.finishAndReleaseAll();
    }

    @Test
    void settingsAreThoseTheSetupsName() {
        List<String> log = new ArrayList<>();
        ConnectionSetups setups = ConnectionSetups.of(new Recording("node-wide", Optional.empty(), log),
                new Recording("grpc", Optional.of(Setting.GRPC), log));

        assertThat(setups.settings()).containsExactly(Setting.GRPC);
        assertThat(ConnectionSetups.of().settings()).isEmpty();
    }
}
