package zoneplane.dataplane.usage;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import zoneplane.model.wire.UsageReport;

/**
 * Per-zone traffic accounting (issue 22): the first {@link ExchangeListener}. Each event loop counts into
 * its own {@link LoopLedger}, without locks or shared writes; when a minute closes, {@link #closeThrough}
 * schedules a task on every loop that hands its closed minutes over, and the usage thread merges them
 * into one {@link UsageReport.ZoneMinute} per zone and minute for {@code closedMinutes}.
 *
 * <p>What counts where: an exchange in the minute it ended (by the injected clock); a WebSocket's
 * upgrade as its request in the minute it opened, its bytes in the minutes they flowed (read from the
 * connection's {@link WireCounter} at each minute's close), its connection time split over the minutes it
 * spans, and a billable minute each time one of its minutes completes, the started one when it closes.
 * A record that reaches a loop after its minute was handed over counts in the loop's next open minute:
 * never lost, never counted twice.
 */
public final class UsageAccounting implements ExchangeListener {

    private final Clock clock;
    private final List<LoopLedger> ledgers = new ArrayList<>();
    private final FastThreadLocal<LoopLedger> own;
    private final WebSocketConcurrency concurrency = new WebSocketConcurrency();
    private final Executor usageThread;
    private final Consumer<List<UsageReport.ZoneMinute>> closedMinutes;
    /** The last minute handed over; usage thread only. */
    private long closedThrough;
    private CompletableFuture<Void> handingOver = CompletableFuture.completedFuture(null);

    /**
     * @param loops the node's event loops (each gets a ledger)
     * @param groupLimit the most dimension tuples per zone-minute before host and content type fold to "other"
     * @param usageThread the one thread that closes minutes and merges them (never an event loop)
     * @param closedMinutes takes each merged batch of closed minutes, on {@code usageThread}
     */
    public UsageAccounting(EventLoopGroup loops, Clock clock, int groupLimit, Executor usageThread,
            Consumer<List<UsageReport.ZoneMinute>> closedMinutes) {
        this.clock = clock;
        this.usageThread = usageThread;
        this.closedMinutes = closedMinutes;
        this.closedThrough = currentMinute() - 1;
        for (EventExecutor loop : loops) {
            ledgers.add(new LoopLedger((EventLoop) loop, groupLimit, concurrency, closedThrough));
        }
        this.own = new FastThreadLocal<>() {
            @Override
            protected LoopLedger initialValue() {
                for (LoopLedger ledger : ledgers) {
                    if (ledger.loop.inEventLoop()) {
                        return ledger;
                    }
                }
                return null;
            }
        };
    }

    long currentMinute() {
        return Math.floorDiv(clock.millis(), LoopLedger.MINUTE_MILLIS);
    }

    @Override
    public void exchangeEnded(ExchangeRecord record) {
        LoopLedger ledger = own.get();
        if (ledger != null) {
            ledger.ended(record);
        } else {
            // Not one of the node's loops (a test's, or an origin client's of another group): any loop will do.
            ledgers.get(0).loop.execute(() -> ledgers.get(0).ended(record));
        }
    }

    @Override
    public void webSocketOpened(ExchangeRecord upgrade, WireCounter flow) {
        LoopLedger ledger = own.get();
        if (ledger != null) {
            ledger.opened(upgrade, flow);
        } else {
            ledgers.get(0).loop.execute(() -> ledgers.get(0).opened(upgrade, flow));
        }
    }

    /**
     * How many exchange records and WebSocket upgrades the loops have taken in so far (each loop counts its
     * own; this asks each of them). For tests and diagnostics, never the request path.
     */
    public CompletableFuture<Long> recorded() {
        CompletableFuture<Long> total = CompletableFuture.completedFuture(0L);
        for (LoopLedger ledger : ledgers) {
            total = total.thenCombine(CompletableFuture.supplyAsync(ledger::recorded, ledger.loop), Long::sum);
        }
        return total;
    }

    /** Closes the minutes that ended by the clock's now, if any and none is being closed (usage thread). */
    public void tick() {
        long ended = currentMinute() - 1;
        if (ended > closedThrough && handingOver.isDone()) {
            closeThrough(ended);
        }
    }

    /**
     * Hands every minute up to {@code minute} over from each loop and merges them; completes once
     * {@code closedMinutes} has taken the batch. Call on the usage thread; {@code minute} may be the open
     * one (graceful shutdown flushes it).
     */
    public CompletableFuture<Void> closeThrough(long minute) {
        if (minute <= closedThrough) {
            return handingOver;
        }
        closedThrough = minute;
        List<CompletableFuture<List<ZoneTally>>> handed = new ArrayList<>(ledgers.size());
        for (LoopLedger ledger : ledgers) {
            CompletableFuture<List<ZoneTally>> one;
            try {
                one = CompletableFuture.supplyAsync(() -> ledger.handOver(minute), ledger.loop);
            } catch (java.util.concurrent.RejectedExecutionException loopStopped) {
                one = CompletableFuture.completedFuture(List.of());
            }
            handed.add(one.exceptionally(e -> List.of()));
        }
        handingOver = CompletableFuture.allOf(handed.toArray(CompletableFuture[]::new))
                .thenAcceptAsync(done -> closedMinutes.accept(merge(handed)), usageThread);
        return handingOver;
    }

    private List<UsageReport.ZoneMinute> merge(List<CompletableFuture<List<ZoneTally>>> handed) {
        Map<String, Map<Long, ZoneTally>> byZone = new HashMap<>();
        for (CompletableFuture<List<ZoneTally>> loop : handed) {
            for (ZoneTally tally : loop.join()) {
                Map<Long, ZoneTally> minutes = byZone.computeIfAbsent(tally.zoneId, z -> new HashMap<>());
                ZoneTally first = minutes.putIfAbsent(tally.minute, tally);
                if (first != null) {
                    first.merge(tally);
                }
            }
        }
        List<UsageReport.ZoneMinute> merged = new ArrayList<>();
        byZone.forEach((zone, minutes) -> {
            long peak = concurrency.takePeak(zone);
            minutes.values().forEach(tally -> merged.add(tally.toZoneMinute(tally.hasWebSockets() ? peak : 0)));
        });
        merged.sort(Comparator.comparing(UsageReport.ZoneMinute::minute).thenComparing(UsageReport.ZoneMinute::zoneId));
        return merged;
    }

    @Override
    public String toString() {
        return "UsageAccounting{loops=" + ledgers.size() + ", closedThrough=" + closedThrough + "}";
    }
}
