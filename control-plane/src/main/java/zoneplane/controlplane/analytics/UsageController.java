package zoneplane.controlplane.analytics;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import zoneplane.controlplane.api.ApiErrorCode;
import zoneplane.controlplane.api.ApiException;
import zoneplane.controlplane.api.Envelope;
import zoneplane.controlplane.auth.AccountAccess;
import zoneplane.controlplane.auth.Caller;
import zoneplane.controlplane.auth.Permission;

/**
 * {@code GET /accounts/{account_id}/usage} and {@code GET /zones/{zone_id}/usage}: what a zone or an
 * account used per UTC day and per calendar month — requests, bandwidth (bytes edge → client,
 * WebSocket messages to the visitor included) and WebSocket billable minutes (per connection,
 * rounded up, as Fastly bills). {@code since} and {@code until} are dates ({@code 2026-12-01},
 * {@code until} inclusive) or RFC 3339 times; by default the current month so far; at most 400 days.
 * Closed days come from the daily rollup, days not rolled up yet (today) from the minutes.
 * Tenancy as everywhere: another account's (or, for a zone-limited token, another zone's) ids
 * answer 404, as do zones that do not exist (also for the operator); {@code analytics:read} is needed (403); account usage needs an account-wide token.
 */
@RestController
@Tag(name = "Usage", description = "Requests, bandwidth and WebSocket billable minutes per day and month")
class UsageController {

    private static final Duration MAX_RANGE = Duration.ofDays(400);

    record Usage(String since, String until, List<Period> days, List<Period> months, Period totals) {}

    /** One day ({@code 2026-12-07}), month ({@code 2026-12}) or the total ({@code period} null). */
    record Period(String period, long requests, long bandwidth_bytes, long websocket_billable_minutes) {}

    private final AnalyticsStore store;
    private final AnalyticsPartitions partitions;
    private final AccountAccess accounts;
    private final Clock clock = Clock.systemUTC();

    UsageController(AnalyticsStore store, AnalyticsPartitions partitions, AccountAccess accounts) {
        this.store = store;
        this.partitions = partitions;
        this.accounts = accounts;
    }

    @GetMapping("/zones/{zone_id}/usage")
    @Operation(summary = "A zone's requests, bandwidth and WebSocket billable minutes per day and month (needs analytics:read)",
            parameters = {@Parameter(name = "since", description = "date (YYYY-MM-DD) or RFC 3339; default: the first of this month"),
                    @Parameter(name = "until", description = "date (inclusive) or RFC 3339 (exclusive); default: now")})
    Envelope<Usage> zone(@PathVariable("zone_id") String zoneId, @RequestParam(required = false) String since,
            @RequestParam(required = false) String until) {
        if (store.accountsOf(java.util.Set.of(zoneId)).isEmpty()) {
            throw new ApiException(ApiErrorCode.INVALID_ZONE, "Invalid zone identifier");
        }
        return Envelope.of(usage(false, zoneId, since, until));
    }

    @GetMapping("/accounts/{account_id}/usage")
    @Operation(summary = "An account's requests, bandwidth and WebSocket billable minutes per day and month (needs analytics:read)",
            parameters = {@Parameter(name = "since", description = "date (YYYY-MM-DD) or RFC 3339; default: the first of this month"),
                    @Parameter(name = "until", description = "date (inclusive) or RFC 3339 (exclusive); default: now")})
    Envelope<Usage> account(@PathVariable("account_id") String accountId, Caller caller,
            @RequestParam(required = false) String since, @RequestParam(required = false) String until) {
        accounts.require(caller, accountId, Permission.ANALYTICS_READ);
        if (!caller.zones().allZones()) {
            throw new ApiException(ApiErrorCode.FORBIDDEN, "This token is limited to listed zones: ask each zone's usage");
        }
        return Envelope.of(usage(true, accountId, since, until));
    }

    private Usage usage(boolean account, String id, String sinceText, String untilText) {
        Instant now = clock.instant();
        Instant since = sinceText == null ? Resolution.startOf(LocalDate.now(clock).withDayOfMonth(1)) : time(sinceText, "since", false);
        Instant until = untilText == null ? now : time(untilText, "until", true);
        if (!until.isAfter(since) || Duration.between(since, until).compareTo(MAX_RANGE) > 0) {
            throw new ApiException(ApiErrorCode.INVALID_REQUEST, "until must be after since, at most " + MAX_RANGE.toDays() + " days");
        }
        Map<LocalDate, long[]> days = new TreeMap<>(store.dailyUsage(Resolution.DAY, account, id, since, until));
        Instant minutesFrom = since.isAfter(partitions.keptSince(Resolution.MINUTE, now)) ? since
                : partitions.keptSince(Resolution.MINUTE, now);
        if (minutesFrom.isBefore(until)) {
            store.dailyUsage(Resolution.MINUTE, account, id, minutesFrom, until).forEach(days::putIfAbsent);
        }
        List<Period> perDay = new ArrayList<>();
        Map<YearMonth, long[]> months = new TreeMap<>();
        long[] total = new long[3];
        days.forEach((day, v) -> {
            perDay.add(period(day.toString(), v));
            long[] month = months.computeIfAbsent(YearMonth.from(day), m -> new long[3]);
            for (int i = 0; i < 3; i++) {
                month[i] += v[i];
                total[i] += v[i];
            }
        });
        List<Period> perMonth = new ArrayList<>();
        months.forEach((month, v) -> perMonth.add(period(month.toString(), v)));
        return new Usage(since.toString(), until.toString(), perDay, perMonth, period(null, total));
    }

    private static Period period(String name, long[] v) {
        return new Period(name, v[0], v[1], v[2]);
    }

    private static Instant time(String text, String name, boolean endOfDay) {
        try {
            if (text.length() == 10) {
                LocalDate day = LocalDate.parse(text);
                return Resolution.startOf(endOfDay ? day.plusDays(1) : day);
            }
            return java.time.OffsetDateTime.parse(text).toInstant().atOffset(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new ApiException(ApiErrorCode.INVALID_REQUEST, name + " must be a date (YYYY-MM-DD) or an RFC 3339 time");
        }
    }
}
