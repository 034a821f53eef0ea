package zoneplane.controlplane.analytics;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The three stored resolutions of analytics: each has its tables ({@code analytics_zone_1m},
 * {@code analytics_http_1m}, …), a bucket length, and a partition length (a day for minutes, a
 * month for hours and days). Table names come only from here, never from a request.
 */
public enum Resolution {
    MINUTE("1m", Duration.ofMinutes(1), false),
    HOUR("1h", Duration.ofHours(1), true),
    DAY("1d", Duration.ofDays(1), true);

    private static final DateTimeFormatter DAILY = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter MONTHLY = DateTimeFormatter.ofPattern("yyyyMM");

    private final String suffix;
    private final Duration bucket;
    private final boolean monthlyPartitions;

    Resolution(String suffix, Duration bucket, boolean monthlyPartitions) {
        this.suffix = suffix;
        this.bucket = bucket;
        this.monthlyPartitions = monthlyPartitions;
    }

    public String suffix() {
        return suffix;
    }

    public Duration bucket() {
        return bucket;
    }

    public String zoneTable() {
        return "analytics_zone_" + suffix;
    }

    public String httpTable() {
        return "analytics_http_" + suffix;
    }

    /** The start of the bucket {@code t} falls in (UTC). */
    public Instant truncate(Instant t) {
        return switch (this) {
            case MINUTE -> t.truncatedTo(ChronoUnit.MINUTES);
            case HOUR -> t.truncatedTo(ChronoUnit.HOURS);
            case DAY -> t.truncatedTo(ChronoUnit.DAYS);
        };
    }

    /** The next coarser resolution, which is rolled up from this one; none for days. */
    public java.util.Optional<Resolution> coarser() {
        return switch (this) {
            case MINUTE -> java.util.Optional.of(HOUR);
            case HOUR -> java.util.Optional.of(DAY);
            case DAY -> java.util.Optional.empty();
        };
    }

    /** The partition holding {@code t}: its first day (UTC). */
    LocalDate partitionStart(Instant t) {
        LocalDate day = LocalDate.ofInstant(t, ZoneOffset.UTC);
        return monthlyPartitions ? day.withDayOfMonth(1) : day;
    }

    LocalDate partitionEnd(LocalDate start) {
        return monthlyPartitions ? start.plusMonths(1) : start.plusDays(1);
    }

    /** The suffix of a partition's table name, {@code _p20261207} or {@code _p202612}. */
    String partitionSuffix(LocalDate start) {
        return "_p" + (monthlyPartitions ? MONTHLY : DAILY).format(start);
    }

    /** The first day of the partition named by {@code suffix} (as {@link #partitionSuffix} makes it). */
    LocalDate parsePartitionSuffix(String suffix) {
        String digits = suffix.substring(2);
        return monthlyPartitions
                ? LocalDate.parse(digits + "01", DAILY)
                : LocalDate.parse(digits, DAILY);
    }

    static Instant startOf(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
