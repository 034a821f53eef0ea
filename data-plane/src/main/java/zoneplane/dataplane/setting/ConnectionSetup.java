package zoneplane.dataplane.setting;

import io.netty.channel.Channel;
import java.util.Optional;
import zoneplane.model.Setting;

/**
 * What the edge decides once per visitor connection rather than per request: the handlers a new
 * connection's pipeline gets before its first byte is read. The per-connection counterpart of
 * {@link SettingTransform}: a setting whose effect belongs to the connection (a minimum TLS version, 0-RTT,
 * HTTP/3) is one class implementing this, naming its {@link #setting}, registered in the node's one
 * {@link ConnectionSetups} list. Node-wide per-connection behaviour (the slow-client guards, the plain
 * HTTP/1.1 path) is registered there too and names no setting.
 *
 * <p>{@link #install} runs on the connection's event loop: it must not block, and it runs for every
 * connection, so it does only what that connection needs.
 */
public interface ConnectionSetup {

    /** The catalogue setting this implements; empty for behaviour of the node itself. */
    default Optional<Setting> setting() {
        return Optional.empty();
    }

    /** Equips a new visitor connection, once Reactor Netty has built its pipeline and before its first read. */
    void install(Channel channel);
}
