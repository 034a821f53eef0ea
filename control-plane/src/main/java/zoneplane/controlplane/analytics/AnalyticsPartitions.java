package zoneplane.controlplane.analytics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The time partitions of the analytics tables: created ahead (and on demand by ingest, for a minute
 * whose partition the schedule has not made yet), and dropped whole once past retention, so retention
 * costs no DELETE and no vacuum. Daily partitions hold minutes, monthly ones hours and days.
 * Idempotent and safe on several replicas at once ({@code create table if not exists},
 * {@code drop table if exists}).
 */
@Component
public class AnalyticsPartitions {

    private static final Logger log = LoggerFactory.getLogger(AnalyticsPartitions.class);

    private final JdbcClient jdbc;
    private final AnalyticsProperties properties;
    private final Clock clock = Clock.systemUTC();
    /** Partitions known to exist, so ingest checks its minutes' partitions without a query. */
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    AnalyticsPartitions(JdbcClient jdbc, AnalyticsProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    @Scheduled(initialDelay = 0, fixedDelayString = "${zoneplane.analytics.maintenance-interval:1h}")
    void scheduled() {
        maintain(clock.instant());
    }

    /** Creates the partitions from retention's start to {@code partitions-ahead} after {@code now}, drops older ones. */
    public List<String> maintain(Instant now) {
        List<String> dropped = new ArrayList<>();
        for (Resolution resolution : Resolution.values()) {
            Instant oldest = now.minus(retention(resolution));
            ensure(resolution, oldest, now.plus(properties.partitionsAhead()));
            dropped.addAll(dropBefore(resolution, oldest));
        }
        return dropped;
    }

    /** The oldest bucket start still kept at {@code resolution}. */
    Instant keptSince(Resolution resolution, Instant now) {
        return now.minus(retention(resolution));
    }

    Duration retention(Resolution resolution) {
        return switch (resolution) {
            case MINUTE -> properties.retentionMinutes();
            case HOUR -> properties.retentionHours();
            case DAY -> properties.retentionDays();
        };
    }

    /** Makes sure the partitions covering {@code [from, to]} exist at {@code resolution}. */
    void ensure(Resolution resolution, Instant from, Instant to) {
        LocalDate last = resolution.partitionStart(to);
        for (LocalDate start = resolution.partitionStart(from); !start.isAfter(last); start = resolution.partitionEnd(start)) {
            create(resolution, resolution.zoneTable(), start);
            create(resolution, resolution.httpTable(), start);
        }
    }

    private void create(Resolution resolution, String table, LocalDate start) {
        String name = table + resolution.partitionSuffix(start);
        if (known.contains(name)) {
            return;
        }
        jdbc.sql("create table if not exists " + name + " partition of " + table + " for values from ('"
                + Resolution.startOf(start) + "') to ('" + Resolution.startOf(resolution.partitionEnd(start)) + "')").update();
        known.add(name);
    }

    private List<String> dropBefore(Resolution resolution, Instant oldest) {
        List<String> dropped = new ArrayList<>();
        for (String table : List.of(resolution.zoneTable(), resolution.httpTable())) {
            for (String partition : partitionsOf(table)) {
                LocalDate start = resolution.parsePartitionSuffix(partition.substring(table.length()));
                if (!Resolution.startOf(resolution.partitionEnd(start)).isAfter(oldest)) {
                    jdbc.sql("drop table if exists " + partition).update();
                    known.remove(partition);
                    dropped.add(partition);
                    log.info("analytics partition {} dropped: past the {} retention", partition, retention(resolution));
                }
            }
        }
        return dropped;
    }

    /** The partitions of {@code table} (only names this class made: {@code <table>_pDIGITS}). */
    List<String> partitionsOf(String table) {
        return jdbc.sql("""
                select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
                where i.inhparent = cast(:parent as regclass) order by c.relname""")
                .param("parent", table)
                .query(String.class)
                .list()
                .stream()
                .filter(name -> name.matches(java.util.regex.Pattern.quote(table) + "_p\\d{6}(\\d{2})?"))
                .toList();
    }

    @Override
    public String toString() {
        return "AnalyticsPartitions[1m " + properties.retentionMinutes() + ", 1h " + properties.retentionHours()
                + ", 1d " + properties.retentionDays() + "]";
    }
}
