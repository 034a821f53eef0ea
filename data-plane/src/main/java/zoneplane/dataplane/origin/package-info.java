/**
 * The edge's side towards origins: a per-event-loop pool of HTTP/1.1 origin connections
 * ({@code OriginPool}, {@code OriginConnection}) and one call on it ({@code OriginCall}, or
 * {@code ReactiveOriginCall} for Reactor Netty's path), streaming with back-pressure both ways; the
 * addresses an origin may be and resolve to ({@code PublicOriginResolvers}, the DNS-rebinding check) and
 * source addresses. Knows nothing of visitors' connections.
 */
package zoneplane.dataplane.origin;
