/**
 * Zone settings, driven by the shared-model catalogue: the catalogue endpoint, reading a zone's
 * settings, and changing them. Changes are parsed from JSON into typed values by the controller,
 * written with group commit by {@code SettingWriter} ({@code SettingBatch} decides and stores each
 * batch; its {@code SettingOutcome}s are mapped to HTTP answers by {@code SettingAnswers}), and become
 * a revision each. There is no per-setting code here.
 */
package zoneplane.controlplane.setting;
