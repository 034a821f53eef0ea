package zoneplane.controlplane.database;

/**
 * A PostgreSQL notification channel some part of the replica follows through the replica's one
 * LISTEN connection ({@code distribution.NotificationListener}). The callbacks run on the listener's
 * thread (except {@link #deaf()} when the listener is stopped) and must be quick.
 */
public interface NotificationSubscriber {

    /** The channel name: lower-case letters and underscores. */
    String channel();

    /** LISTEN is in place on a (new) connection: from now on every notification is delivered. */
    void listening();

    /** The connection was lost or the listener stopped: notifications may be missed until {@link #listening()}. */
    void deaf();

    /** A notification on {@link #channel()}, with its payload. */
    void notified(String payload);
}
