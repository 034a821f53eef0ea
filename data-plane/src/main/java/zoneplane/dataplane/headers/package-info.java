/**
 * The edge's HTTP vocabulary: {@code EdgeHeaders} (the identity header names, the hop-by-hop and
 * edge-owned rules, {@code CDN-Loop}) and {@code RayIds} (the {@code CF-Ray} values). The lowest package of
 * the request path: errors, guards, WebSockets and the proxy all speak it.
 */
package zoneplane.dataplane.headers;
