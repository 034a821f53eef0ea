package zoneplane.dataplane.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

/**
 * Requests the edge refuses with 400 before routing, so they never reach an origin: a missing,
 * repeated or malformed Host, and framing an intermediary could read differently from the origin
 * (request smuggling: Content-Length with Transfer-Encoding, codings other than plain chunked).
 * Netty's decoder already answers malformed request lines, duplicate differing Content-Length and
 * oversized headers.
 */
final class RequestValidation {

    private RequestValidation() {}

    /** What is wrong with the request, safe to show the visitor; null when nothing is. */
    static String problem(HttpHeaders in) {
        List<String> hosts = in.getAll(HttpHeaderNames.HOST);
        if (hosts.size() != 1) {
            return hosts.isEmpty() ? "The request has no Host header." : "The request has more than one Host header.";
        }
        if (!validHost(hosts.get(0))) {
            return "The request's Host header is not a valid host name.";
        }
        List<String> codings = in.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (!codings.isEmpty()) {
            if (in.contains(HttpHeaderNames.CONTENT_LENGTH)) {
                return "The request has both Content-Length and Transfer-Encoding.";
            }
            if (codings.size() != 1 || !"chunked".equalsIgnoreCase(codings.get(0).trim())) {
                return "The request's Transfer-Encoding is not supported (only chunked is).";
            }
        }
        if (in.contains(HttpHeaderNames.CONTENT_LENGTH) && contentLength(in) < 0) {
            return "The request's Content-Length is not a single non-negative number.";
        }
        return null;
    }

    /**
     * Whether HTTP/1.1 framing announces a body: a Content-Length other than 0, or a Transfer-Encoding.
     * (HTTP/2 requests have neither header; the caller decides for them.)
     */
    static boolean hasFramedBody(HttpHeaders in) {
        String length = in.get(HttpHeaderNames.CONTENT_LENGTH);
        if (length != null) {
            return !"0".equals(length.trim());
        }
        return in.contains(HttpHeaderNames.TRANSFER_ENCODING);
    }

    /** The Content-Length as a number; -1 when absent, repeated or not a plain non-negative integer. */
    static long contentLength(HttpHeaders in) {
        List<String> values = in.getAll(HttpHeaderNames.CONTENT_LENGTH);
        if (values.size() != 1) {
            return -1;
        }
        String text = values.get(0).trim();
        if (text.isEmpty() || text.length() > 18) {
            return -1;
        }
        long length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            length = length * 10 + (c - '0');
        }
        return length;
    }

    /** A DNS name or IP literal with an optional port: letters, digits, '.', '-', '_', ':', '[', ']'. */
    static boolean validHost(String host) {
        if (host.isEmpty() || host.length() > 261) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '-' || c == '_' || c == ':' || c == '[' || c == ']';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
