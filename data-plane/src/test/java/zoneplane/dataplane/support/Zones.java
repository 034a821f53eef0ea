package zoneplane.dataplane.support;

import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import zoneplane.model.Plan;
import zoneplane.model.Setting;
import zoneplane.model.ZoneConfig;
import zoneplane.model.ZoneSettings;

/** Builds zone configurations for tests: {@code Zones.zone("a.test", origin).set(Setting.GRPC, "on").build()}. */
public final class Zones {

    private final String name;
    private final String origin;
    private Plan plan = Plan.ENTERPRISE;
    private boolean paused;
    private final Map<String, String> stored = new HashMap<>();

    private Zones(String name, String origin) {
        this.name = name;
        this.origin = origin;
    }

    public static Zones zone(String name, String origin) {
        return new Zones(name, origin);
    }

    public Zones plan(Plan plan) {
        this.plan = plan;
        return this;
    }

    public Zones paused() {
        this.paused = true;
        return this;
    }

    public Zones set(Setting setting, String value) {
        stored.put(setting.id(), value);
        return this;
    }

    public ZoneConfig build() {
        ZoneSettings settings = ZoneSettings.effective(plan, stored);
        for (Map.Entry<String, String> e : stored.entrySet()) {
            Setting setting = Setting.fromId(e.getKey()).orElseThrow();
            if (!settings.get(setting).text().equals(e.getValue())) {
                throw new IllegalArgumentException(e + " is not permitted on " + plan);
            }
        }
        byte[] id = new byte[16];
        ThreadLocalRandom.current().nextBytes(id);
        return new ZoneConfig(HexFormat.of().formatHex(id), name, plan, origin, paused, settings);
    }
}
