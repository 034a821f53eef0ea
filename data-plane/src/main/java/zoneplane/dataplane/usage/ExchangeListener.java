package zoneplane.dataplane.usage;

/**
 * Hears every exchange the edge finishes (usage accounting; later Logpush). Called on the visitor
 * connection's event loop, in the order the exchanges of one connection end: an implementation must
 * not block, lock or throw, and should hand anything slow to its own thread.
 */
public interface ExchangeListener {

    /** An exchange ended: an HTTP request, a gRPC call, or a WebSocket connection (when it closed). */
    void exchangeEnded(ExchangeRecord record);

    /**
     * A WebSocket's upgrade completed ({@code upgrade}: status 101, its start and end the handshake's).
     * {@code flow} counts the bytes of the visitor's connection as they are written and read, from now
     * until the connection's {@link #exchangeEnded} record; read it on the same event loop only.
     */
    default void webSocketOpened(ExchangeRecord upgrade, WireCounter flow) {}
}
