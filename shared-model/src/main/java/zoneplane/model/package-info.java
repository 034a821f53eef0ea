/**
 * The model both planes share, with no dependency but jackson-core: the settings catalogue
 * ({@code Setting}, each entry's {@code SettingRule}, the sealed {@code SettingValue}) and a zone's effective
 * settings ({@code ZoneSettings}, with typed reads per kind of value), plans, the immutable
 * {@code ZoneConfig} a node routes by, the sealed {@code Change} of the change stream, and
 * {@code ProhibitedAddresses}, the one rule for the addresses an origin may not be.
 */
package zoneplane.model;
