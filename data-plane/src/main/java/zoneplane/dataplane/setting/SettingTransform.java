package zoneplane.dataplane.setting;

import zoneplane.model.Setting;

/**
 * The data-plane behaviour of one catalogue setting. The proxy calls {@link #apply} once per request
 * of an active (not paused) zone, before the origin is contacted, in the order of
 * {@link SettingTransforms#all}. A transform reads the zone's value of its setting and edits the
 * exchange: headers to the origin, headers to the visitor, a refusal or a body limit.
 *
 * <p>Runs on the event loop: it must not block, lock or log per request.
 */
public interface SettingTransform {

    /** The catalogue setting this transform implements. */
    Setting setting();

    void apply(ProxyExchange exchange);
}
