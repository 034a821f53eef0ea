package zoneplane.controlplane.zone;

import java.util.List;
import zoneplane.model.Plan;
import zoneplane.model.Setting;
import zoneplane.model.SettingValue;

/**
 * What a plan change does to a zone's settings, as the zone feature sees it (the setting feature
 * implements it; settings depend on zones, not the other way round).
 */
public interface PlanSettings {

    /** A setting taken back to the new plan's default: the value in effect before and after. */
    record Reset(Setting setting, SettingValue before, SettingValue after) {}

    /**
     * Removes the zone's stored values that {@code plan} does not permit, so they take the plan's
     * default, and returns what changed. Runs in the caller's transaction, under its zone lock, before
     * the change-log entry is appended (which then carries the reset values).
     */
    List<Reset> resetForPlan(String zoneId, Plan plan);
}
