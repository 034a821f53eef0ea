package zoneplane.dataplane.support;

import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;

/** What reached the recording origin: the request line, a copy of its headers, its body and peer. */
public record RecordedRequest(String method, String uri, String protocol, HttpHeaders headers, byte[] body,
        InetSocketAddress peer) {

    public String header(String name) {
        return headers.get(name);
    }

    public int bodyLength() {
        return body.length;
    }
}
