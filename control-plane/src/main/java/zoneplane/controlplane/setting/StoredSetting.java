package zoneplane.controlplane.setting;

import java.time.Instant;

/** A value a zone chose explicitly, as stored: its wire text ({@code "off"}, {@code "200"}) and when it was set. */
record StoredSetting(String text, Instant modifiedOn) {}
