package zoneplane.dataplane.usage;

import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import java.util.Map;
import reactor.netty.http.server.HttpServerRequest;

/**
 * The bytes of one HTTP/2 stream (one exchange), first on its stream channel's pipeline where it sees
 * the stream's frames. Frame headers (9 bytes each) and DATA payloads (with padding) are exact; a header
 * block counts its uncompressed size (names and values, HPACK's literal form) because HPACK compresses
 * against the whole connection's dynamic table, which no single stream owns. Event loop only.
 */
final class StreamWireCounter extends WireCounter {

    private static final int FRAME_HEADER = 9;

    private long body;
    private long bodyMark;

    /** Counts the request's HEADERS frame, which went by before this counter joined the stream. */
    void requestHead(HttpServerRequest request) {
        long size = FRAME_HEADER + pseudo(":method", request.method().name()) + pseudo(":path", request.uri())
                + pseudo(":scheme", request.scheme());
        for (Map.Entry<String, String> header : request.requestHeaders()) {
            size += 2 + header.getKey().length() + header.getValue().length();
        }
        countReceived(size);
    }

    private static long pseudo(String name, String value) {
        return 2 + name.length() + value.length();
    }

    @Override
    long takeBody() {
        long taken = body - bodyMark;
        bodyMark = body;
        return taken;
    }

    @Override
    long inbound(Object msg) {
        return size(msg);
    }

    @Override
    long outbound(Object msg) {
        if (msg instanceof Http2DataFrame data) {
            body += data.content().readableBytes();
        }
        return size(msg);
    }

    private static long size(Object msg) {
        if (msg instanceof Http2DataFrame data) {
            return FRAME_HEADER + data.content().readableBytes() + data.padding();
        }
        if (msg instanceof Http2HeadersFrame headers) {
            return FRAME_HEADER + headerBlock(headers.headers()) + headers.padding();
        }
        return 0;
    }

    private static long headerBlock(Http2Headers headers) {
        long size = 0;
        for (Map.Entry<CharSequence, CharSequence> header : headers) {
            size += 2 + header.getKey().length() + header.getValue().length();
        }
        return size;
    }
}
