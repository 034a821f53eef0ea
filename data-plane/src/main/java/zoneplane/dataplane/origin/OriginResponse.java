package zoneplane.dataplane.origin;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.SocketAddress;
import org.reactivestreams.Publisher;

/**
 * An origin's response head and its body. {@code body} must be subscribed exactly once (or
 * cancelled); a response that arrived whole in one read has a single-chunk body.
 *
 * @param origin the address the response came from (Logpush's {@code OriginIP}), null when unknown
 */
public record OriginResponse(HttpResponseStatus status, HttpHeaders headers, Publisher<ByteBuf> body,
        SocketAddress origin) {}
