/**
 * WebSockets through the edge (SPEC §5.4): {@code WebSocketProxy} does the origin's handshake first and
 * upgrades the visitor only on its 101, {@code WebSocketSession} relays frames both ways with
 * back-pressure and owns the one teardown, and {@code WebSocketAdmission} holds each zone's share of
 * concurrent WebSockets on this node.
 */
package zoneplane.dataplane.websocket;
