package zoneplane.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import zoneplane.model.Change;
import zoneplane.model.Plan;
import zoneplane.model.Setting;
import zoneplane.model.SettingValue;
import zoneplane.model.ZoneConfig;
import zoneplane.model.ZoneSettings;
import zoneplane.model.wire.WireFormat;

/**
 * Test-only writer doing exactly what the API's write path does for every accepted change, in one
 * transaction: {@code update config_revision set revision = revision + 1 returning revision}, the
 * zone / zone_settings rows, then one {@code change_log} row whose payload is
 * {@code WireFormat.changeToJson(change)} with the zone's full new state. One JDBC connection per
 * writer; use one writer per thread.
 */
public final class TestChangeWriter implements AutoCloseable {

    public static final String ACCOUNT_ID = "a".repeat(32);

    private final Connection connection;

    public TestChangeWriter(TestDatabase.Database db) throws SQLException {
        this.connection = db.connect();
        // Ordering and visibility do not depend on durability; skipping the WAL flush keeps the
        // tests fast on a shared machine.
        try (var st = connection.createStatement()) {
            st.execute("set synchronous_commit = off");
        }
        connection.setAutoCommit(false);
    }

    /** Applies the migrations without starting a control plane (idempotent). */
    public static void migrate(TestDatabase.Database db) {
        org.flywaydb.core.Flyway.configure()
                .dataSource(db.url(), db.username(), db.password())
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    public static void ensureAccount(TestDatabase.Database db) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement st = c.prepareStatement(
                "insert into accounts (id, name) values (?, 'test') on conflict do nothing")) {
            st.setString(1, ACCOUNT_ID);
            st.executeUpdate();
        }
    }

    public static String newZoneId() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** A legal change for a zone on some plan: an editable setting and one of its allowed values. */
    public record SettingChange(Setting setting, SettingValue value) {}

    /** A random {@link SettingChange} a zone on {@code plan} may make. */
    public static SettingChange randomChange(Random random, Plan plan) {
        List<Setting> editable = Arrays.stream(Setting.values()).filter(s -> s.editableOn(plan)).toList();
        Setting setting = editable.get(random.nextInt(editable.size()));
        List<SettingValue> allowed = setting.allowedOn(plan);
        return new SettingChange(setting, allowed.get(random.nextInt(allowed.size())));
    }

    /** Creates a zone; returns the revision of its change. */
    public long createZone(String id, String name, Plan plan, String origin) throws SQLException {
        try {
            long revision = nextRevision();
            try (PreparedStatement st = connection.prepareStatement(
                    "insert into zones (id, account_id, name, plan, origin) values (?, ?, ?, ?, ?)")) {
                st.setString(1, id);
                st.setString(2, ACCOUNT_ID);
                st.setString(3, name);
                st.setString(4, plan.id());
                st.setString(5, origin);
                st.executeUpdate();
            }
            ZoneConfig zone = new ZoneConfig(id, name, plan, origin == null ? "" : origin, false, ZoneSettings.defaultsFor(plan));
            log(new Change.ZoneUpserted(revision, zone));
            connection.commit();
            return revision;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
    }

    /** Sets one setting of a zone (as PATCH /zones/{id}/settings/{setting} does); returns the revision. */
    public long setSetting(String zoneId, Setting setting, SettingValue value) throws SQLException {
        try {
            long revision = nextRevision();
            try (PreparedStatement st = connection.prepareStatement("""
                    insert into zone_settings (zone_id, setting_id, value, modified_on) values (?, ?, ?::jsonb, now())
                    on conflict (zone_id, setting_id) do update set value = excluded.value, modified_on = now()""")) {
                st.setString(1, zoneId);
                st.setString(2, setting.id());
                st.setString(3, value instanceof SettingValue.Megabytes ? value.text() : "\"" + value.text() + "\"");
                st.executeUpdate();
            }
            log(new Change.ZoneUpserted(revision, readZone(zoneId)));
            connection.commit();
            return revision;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
    }

    /** Deletes a zone; returns the revision. */
    public long deleteZone(String zoneId) throws SQLException {
        try {
            long revision = nextRevision();
            String name;
            try (PreparedStatement st = connection.prepareStatement("delete from zones where id = ? returning name")) {
                st.setString(1, zoneId);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    name = rs.getString(1);
                }
            }
            log(new Change.ZoneDeleted(revision, zoneId, name));
            connection.commit();
            return revision;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
    }

    /** Every zone as the database holds it now, by name (the truth subscribers must converge to). */
    public Map<String, ZoneConfig> readAll() throws SQLException {
        Map<String, ZoneConfig> zones = new HashMap<>();
        java.util.List<String> ids = new java.util.ArrayList<>();
        try (PreparedStatement st = connection.prepareStatement("select id from zones"); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        for (String id : ids) {
            ZoneConfig zone = readZone(id);
            zones.put(zone.name(), zone);
        }
        connection.commit();
        return zones;
    }

    public long latestRevision() throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("select revision from config_revision");
                ResultSet rs = st.executeQuery()) {
            rs.next();
            long revision = rs.getLong(1);
            connection.commit();
            return revision;
        }
    }

    private long nextRevision() throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(
                "update config_revision set revision = revision + 1 returning revision");
                ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private ZoneConfig readZone(String zoneId) throws SQLException {
        String name;
        Plan plan;
        String origin;
        boolean paused;
        try (PreparedStatement st = connection.prepareStatement("select name, plan, origin, paused from zones where id = ?")) {
            st.setString(1, zoneId);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                name = rs.getString(1);
                plan = Plan.fromId(rs.getString(2)).orElseThrow();
                origin = rs.getString(3);
                paused = rs.getBoolean(4);
            }
        }
        Map<String, String> stored = new HashMap<>();
        try (PreparedStatement st = connection.prepareStatement(
                "select setting_id, value #>> '{}' from zone_settings where zone_id = ?")) {
            st.setString(1, zoneId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    stored.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return new ZoneConfig(zoneId, name, plan, origin == null ? "" : origin, paused, ZoneSettings.effective(plan, stored));
    }

    private void log(Change change) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(
                "insert into change_log (revision, zone_id, kind, payload) values (?, ?, ?, ?::jsonb)")) {
            st.setLong(1, change.revision());
            st.setString(2, change.zoneId());
            st.setString(3, change instanceof Change.ZoneDeleted ? WireFormat.ZONE_DELETED : WireFormat.ZONE_UPSERTED);
            st.setString(4, WireFormat.changeToJson(change));
            st.executeUpdate();
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
