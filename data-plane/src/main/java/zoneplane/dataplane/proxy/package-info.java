/**
 * The request path: {@code RequestFraming} decides what a request's version, target, host and body are,
 * {@code RequestAdmission} decides what happens to it (routing by host, the visitor, the zone's setting
 * transforms), and two paths carry it to the origin and back: the plain HTTP/1.1 one
 * ({@code Http1Connections}, {@code VisitorConnection}, {@code Http1Exchange}) and Reactor Netty's
 * ({@code EdgeProxy}: HTTP/2, gRPC, and WebSockets handed to {@code websocket}). Also the event loops and
 * the origin clients the node shares. Never blocks, locks or logs per request.
 */
package zoneplane.dataplane.proxy;
