package zoneplane.dataplane.logpush;

/**
 * Opens a destination this package does not implement itself (the Kafka destination lives in
 * {@code logpush.kafka}, which depends on this package; the node hands its opener in, so the
 * dependency points one way).
 */
@FunctionalInterface
public interface DestinationOpener {

    /**
     * A destination for {@code destinationConf}; connects nowhere yet. Throws
     * {@link IllegalArgumentException} with a message for the job's owner when the conf is invalid.
     *
     * @param allowPrivate whether the operator allows destinations at private addresses
     */
    LogDestination open(String destinationConf, boolean allowPrivate);
}
