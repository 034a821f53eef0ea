package zoneplane.controlplane.analytics;

import java.time.Duration;

/**
 * The zone datasets of the GraphQL API: what each reads, and how far back and how wide a query of
 * it may reach. The widths follow Cloudflare's: a day of minutes, a month of hours, a year of days.
 * How far back is the retention of the table it reads (a query older than that is refused, as
 * Cloudflare refuses data older than its dataset keeps).
 */
enum Dataset {
    HTTP_1M("httpRequests1mGroups", Kind.HTTP_GROUPS, Resolution.MINUTE, Duration.ofDays(1)),
    HTTP_1H("httpRequests1hGroups", Kind.HTTP_GROUPS, Resolution.HOUR, Duration.ofDays(31)),
    HTTP_1D("httpRequests1dGroups", Kind.HTTP_GROUPS, Resolution.DAY, Duration.ofDays(366)),
    HTTP_ADAPTIVE("httpRequestsAdaptiveGroups", Kind.ADAPTIVE, Resolution.MINUTE, Duration.ofDays(1)),
    FIREWALL_ADAPTIVE("firewallEventsAdaptiveGroups", Kind.FIREWALL, Resolution.MINUTE, Duration.ofDays(1)),
    WEBSOCKETS_1M("zoneplaneWebSockets1mGroups", Kind.WEBSOCKETS, Resolution.MINUTE, Duration.ofDays(1)),
    WEBSOCKETS_1H("zoneplaneWebSockets1hGroups", Kind.WEBSOCKETS, Resolution.HOUR, Duration.ofDays(31)),
    WEBSOCKETS_1D("zoneplaneWebSockets1dGroups", Kind.WEBSOCKETS, Resolution.DAY, Duration.ofDays(366));

    enum Kind { HTTP_GROUPS, ADAPTIVE, FIREWALL, WEBSOCKETS }

    /** Cloudflare's largest {@code limit}. */
    static final int MAX_LIMIT = 10_000;
    /** The {@code limit} of a query that names none. */
    static final int DEFAULT_LIMIT = 100;

    private final String field;
    private final Kind kind;
    private final Resolution resolution;
    private final Duration maxRange;

    Dataset(String field, Kind kind, Resolution resolution, Duration maxRange) {
        this.field = field;
        this.kind = kind;
        this.resolution = resolution;
        this.maxRange = maxRange;
    }

    String field() {
        return field;
    }

    Kind kind() {
        return kind;
    }

    Resolution resolution() {
        return resolution;
    }

    Duration maxRange() {
        return maxRange;
    }
}
