package zoneplane.controlplane.distribution;

import java.io.IOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.stereotype.Component;
import zoneplane.controlplane.changelog.ZoneConfigs;
import zoneplane.model.wire.SnapshotWriter;

/**
 * Writes the whole configuration at one revision: one REPEATABLE READ, read-only transaction reads
 * {@code config_revision} and then every zone with its stored settings through a server-side cursor
 * ({@code snapshot-fetch-size} rows at a time), so 100k zones stream without a large heap and the
 * zones are exactly those of the revision written first. Only active zones are written: the edge
 * serves no pending or moved zone (their changes are written as deletions, {@code ChangeLog}). Each zone is assembled by
 * {@link ZoneConfigs}, as the change log's entries are.
 */
@Component
public class SnapshotExporter {

    private static final String ZONES = """
            select z.id, z.name, z.plan, z.origin, z.paused, s.setting_id, s.value #>> '{}'
            from zones z left join zone_settings s on s.zone_id = z.id
            where z.status = 'active'
            order by z.id""";

    private final DataSource dataSource;
    private final int fetchSize;

    public SnapshotExporter(DataSource dataSource, DistributionProperties properties) {
        this.dataSource = dataSource;
        this.fetchSize = properties.snapshotFetchSize();
    }

    /** A consistent read of the configuration; {@link #writeTo} streams it. Close it in any case. */
    public Export open() throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            connection.setAutoCommit(false); // PgJDBC uses a cursor only inside a transaction
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
            long revision;
            try (PreparedStatement st = connection.prepareStatement("select revision from config_revision");
                    ResultSet rs = st.executeQuery()) {
                rs.next();
                revision = rs.getLong(1);
            }
            return new Export(connection, revision, fetchSize);
        } catch (SQLException | RuntimeException e) {
            Export.release(connection);
            throw e;
        }
    }

    /** An open snapshot transaction at {@link #revision()}. */
    public static final class Export implements AutoCloseable {

        private final Connection connection;
        private final long revision;
        private final int fetchSize;

        private Export(Connection connection, long revision, int fetchSize) {
            this.connection = connection;
            this.revision = revision;
            this.fetchSize = fetchSize;
        }

        public long revision() {
            return revision;
        }

        /** Streams {@code {"revision":…,"zones":[…]}} to {@code out}; returns the number of zones. */
        public int writeTo(OutputStream out) throws SQLException, IOException {
            int zones = 0;
            SnapshotWriter writer = new SnapshotWriter(out, revision);
            try (PreparedStatement st = connection.prepareStatement(ZONES)) {
                st.setFetchSize(fetchSize);
                try (ResultSet rs = st.executeQuery()) {
                    ZoneRows rows = new ZoneRows();
                    while (rs.next()) {
                        String id = rs.getString(1);
                        if (!id.equals(rows.id)) {
                            zones += rows.flushTo(writer);
                            rows.start(id, rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5));
                        }
                        String settingId = rs.getString(6);
                        if (settingId != null) {
                            rows.stored.put(settingId, rs.getString(7));
                        }
                    }
                    zones += rows.flushTo(writer);
                }
            }
            writer.close();
            return zones;
        }

        @Override
        public void close() {
            release(connection);
        }

        private static void release(Connection connection) {
            try {
                connection.rollback();
                connection.setReadOnly(false);
                connection.setAutoCommit(true);
            } catch (SQLException ignored) {
                // the pool validates and discards a broken connection
            } finally {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // already closed
                }
            }
        }
    }

    /** The rows of the zone being assembled (the join gives one row per stored setting). */
    private static final class ZoneRows {
        String id;
        String name;
        String plan;
        String origin;
        boolean paused;
        final Map<String, String> stored = new HashMap<>();

        void start(String id, String name, String plan, String origin, boolean paused) {
            this.id = id;
            this.name = name;
            this.plan = plan;
            this.origin = origin;
            this.paused = paused;
            stored.clear();
        }

        int flushTo(SnapshotWriter writer) {
            if (id == null) {
                return 0;
            }
            writer.write(ZoneConfigs.fromRow(id, name, plan, origin, paused, stored));
            return 1;
        }
    }
}
