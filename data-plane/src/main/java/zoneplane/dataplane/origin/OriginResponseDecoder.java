package zoneplane.dataplane.origin;

import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseDecoder;

/**
 * Netty's HTTP/1.1 response decoder for an origin connection, told the method of the request in
 * flight (a response to HEAD has no body, which Netty's client codec otherwise tracks) and able to say
 * whether bytes beyond the response it just finished have arrived. Such bytes answer no request the
 * edge sent: a connection carrying them is closed, never pooled, or the next visitor on it would get
 * them as its answer.
 */
final class OriginResponseDecoder extends HttpResponseDecoder {

    private boolean head;

    OriginResponseDecoder(int maxHeaderSize) {
        super(new HttpDecoderConfig().setMaxInitialLineLength(4096).setMaxHeaderSize(maxHeaderSize)
                .setMaxChunkSize(8192));
    }

    /** The next response answers a request with {@code method}. */
    void expect(HttpMethod method) {
        head = HttpMethod.HEAD.equals(method);
    }

    /** Whether undecoded bytes wait behind the message decoded last (valid while that message is handled). */
    boolean bytesBeyondMessage() {
        return actualReadableBytes() > 0;
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage msg) {
        return head || super.isContentAlwaysEmpty(msg);
    }
}
