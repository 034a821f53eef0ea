package zoneplane.model.logpush;

import java.util.Optional;

/**
 * The value of the {@code ZoneplaneConnectionKind} field: what kind of exchange a record
 * describes. A WebSocket is one record written when the connection closes; a gRPC call is a
 * request whose {@code content-type} starts with {@code application/grpc}; everything else is http.
 */
public enum ZoneplaneConnectionKind {
    HTTP("http"),
    WEBSOCKET("websocket"),
    GRPC("grpc");

    private final String wire;

    ZoneplaneConnectionKind(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<ZoneplaneConnectionKind> fromWire(String wire) {
        for (ZoneplaneConnectionKind kind : values()) {
            if (kind.wire.equals(wire)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
