/**
 * The data plane's behaviour per catalogue setting: one {@code SettingTransform} per setting with a
 * per-request effect, listed once in {@code SettingTransforms}, each editing a {@code ProxyExchange} (headers
 * to the origin and to the visitor, a refusal, a body limit); and {@code ConnectionSetup}, what is decided
 * once per visitor connection, listed once per node in {@code ConnectionSetups}. Adding a setting adds one
 * class and one line here; the router and the proxy do not change.
 */
package zoneplane.dataplane.setting;
