package zoneplane.dataplane.setting;

import zoneplane.model.Setting;

/**
 * {@code websockets=on} lets a WebSocket handshake through as an upgrade. {@code off}: the request is
 * forwarded without its {@code Upgrade} / {@code Connection: upgrade} tokens, so the origin answers
 * it as plain HTTP and the visitor never gets a 101 (as Cloudflare is observed to do). The decision
 * is taken per handshake, so toggling never touches established connections.
 */
public final class WebSocketsTransform implements SettingTransform {

    @Override
    public Setting setting() {
        return Setting.WEBSOCKETS;
    }

    @Override
    public void apply(ProxyExchange exchange) {
        if (exchange.webSocketHandshake() && exchange.settings().toggle(Setting.WEBSOCKETS)) {
            exchange.acceptUpgrade();
        }
    }

    @Override
    public String toString() {
        return "WebSocketsTransform";
    }
}
