/**
 * What bounds a visitor's connection before and beside the request path: slow-client guards for
 * HTTP/1.1 ({@code SlowClientGuard}, {@code Http1Watch}) and HTTP/2 ({@code Http2SlowClientGuard} with its
 * head and stream-body watches, and {@code Http2IdleClock}, the HTTP/2 keep-alive), sharing one body-pause
 * rule ({@code BodyPauseClock}) and one timer per connection or stream ({@code DeadlineTimer}); guards
 * against framing Netty cannot finish ({@code BrokenBodyGuard}, {@code IncompleteHttp2RequestGuard}); and
 * the upload counter behind {@code max_upload} on streamed bodies. Netty handlers only; they know nothing
 * of zones or origins.
 */
package zoneplane.dataplane.guard;
