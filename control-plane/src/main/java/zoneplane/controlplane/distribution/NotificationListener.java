package zoneplane.controlplane.distribution;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import zoneplane.controlplane.database.NotificationSubscriber;

/**
 * The replica's one LISTEN connection (not one per subscriber): a dedicated thread waits in
 * {@link PGConnection#getNotifications(int)} for {@code zoneplane_changes} (payload = committed
 * revision) and {@code zoneplane_node_reports}, and fans them out to the {@link RevisionClock} and
 * the {@link NodeReportSignal}. When nothing arrives for {@code poll-interval} it re-reads the latest
 * revision anyway (the fallback that also proves the connection alive). On a broken connection it
 * reconnects with a capped backoff and re-reads the revision, so a missed NOTIFY only costs latency.
 * Other features follow their own channels on the same connection as {@link NotificationSubscriber}s,
 * told when the connection is listening and when it is not (so that they know when they may miss one).
 */
@Component
public class NotificationListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(NotificationListener.class);
    private static final Pattern CHANNEL_NAME = Pattern.compile("[a-z_]+");
    static final String CHANGES_CHANNEL = "zoneplane_changes";
    static final String NODE_REPORTS_CHANNEL = "zoneplane_node_reports";

    private final DataSource dataSource;
    private final RevisionClock clock;
    private final NodeReportSignal nodeReports;
    private final List<NotificationSubscriber> subscribers;
    private final int pollMillis;
    private volatile Thread thread;
    private volatile boolean running;

    public NotificationListener(DataSource dataSource, RevisionClock clock, NodeReportSignal nodeReports,
            DistributionProperties properties, List<NotificationSubscriber> subscribers) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.nodeReports = nodeReports;
        for (NotificationSubscriber subscriber : subscribers) {
            if (!CHANNEL_NAME.matcher(subscriber.channel()).matches()) {
                throw new IllegalArgumentException("not a channel name: " + subscriber.channel());
            }
        }
        this.subscribers = List.copyOf(subscribers);
        this.pollMillis = (int) Math.min(Integer.MAX_VALUE, properties.pollInterval().toMillis());
    }

    @Override
    public void start() {
        running = true;
        Thread t = new Thread(this::run, "zoneplane-notify-listener");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    @Override
    public void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
        // at once, not when the thread gets to it: from here on nothing is delivered
        subscribers.forEach(NotificationSubscriber::deaf);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        long backoffMillis = 100;
        while (current()) {
            try (Connection connection = dataSource.getConnection()) {
                try {
                    listen(connection);
                } finally {
                    // at once when the connection fails; and after a stop that raced listen(), deaf again
                    // (a thread replaced by a restart leaves the subscribers to its successor)
                    if (owner()) {
                        subscribers.forEach(NotificationSubscriber::deaf);
                    }
                }
                backoffMillis = 100;
            } catch (SQLException | RuntimeException e) {
                if (!current()) {
                    return;
                }
                log.warn("change notification connection lost ({}); reconnecting in {} ms", e.getMessage(), backoffMillis);
                if (!pause(backoffMillis)) {
                    return;
                }
                backoffMillis = Math.min(backoffMillis * 2, 5_000);
            }
        }
    }

    private void listen(Connection connection) throws SQLException {
        connection.setAutoCommit(true);
        PGConnection pg = connection.unwrap(PGConnection.class);
        try (Statement st = connection.createStatement()) {
            st.execute("LISTEN " + CHANGES_CHANNEL);
            st.execute("LISTEN " + NODE_REPORTS_CHANNEL);
            for (NotificationSubscriber subscriber : subscribers) {
                st.execute("LISTEN " + subscriber.channel());
            }
        }
        if (current()) {
            subscribers.forEach(NotificationSubscriber::listening);
        }
        // Listening first, then reading: a change committed in between is seen one way or the other.
        refresh(connection);
        nodeReports.signal();
        long lastRefresh = System.nanoTime();
        while (current()) {
            PGNotification[] notifications = pg.getNotifications(pollMillis);
            if (notifications != null && notifications.length > 0) {
                dispatch(notifications);
            }
            if (System.nanoTime() - lastRefresh >= TimeUnit.MILLISECONDS.toNanos(pollMillis)) {
                refresh(connection);
                lastRefresh = System.nanoTime();
            }
        }
    }

    /** Whether this thread is still the listener, and not stopped. */
    private boolean current() {
        return running && owner();
    }

    /** Whether this thread is the listener's latest (a stop and restart replaces it). */
    private boolean owner() {
        return thread == Thread.currentThread();
    }

    private void dispatch(PGNotification[] notifications) {
        long newest = -1;
        boolean reports = false;
        for (PGNotification n : notifications) {
            if (CHANGES_CHANNEL.equals(n.getName())) {
                newest = Math.max(newest, parseRevision(n.getParameter()));
            } else if (NODE_REPORTS_CHANNEL.equals(n.getName())) {
                reports = true;
            } else {
                for (NotificationSubscriber subscriber : subscribers) {
                    if (subscriber.channel().equals(n.getName())) {
                        subscriber.notified(n.getParameter());
                    }
                }
            }
        }
        if (newest > 0) {
            clock.advanceTo(newest);
        }
        if (reports) {
            nodeReports.signal();
        }
    }

    private void refresh(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("select revision from config_revision")) {
            if (rs.next()) {
                long revision = rs.getLong(1);
                // Committed revisions never go down: a lower one means the database itself went back.
                if (revision < clock.latest()) {
                    log.warn("the database's config revision went back from {} to {} (restored from a backup?): "
                            + "ending change streams so that nodes take a snapshot", clock.latest(), revision);
                    clock.rewindTo(revision);
                } else {
                    clock.advanceTo(revision);
                }
            }
        }
    }

    private static long parseRevision(String payload) {
        try {
            return Long.parseLong(payload.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private boolean pause(long millis) {
        try {
            Thread.sleep(millis); // reconnect backoff of a background thread, not test synchronisation
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String toString() {
        return "NotificationListener{channels=[" + CHANGES_CHANNEL + ", " + NODE_REPORTS_CHANNEL + "], poll=" + pollMillis + "ms}";
    }
}
