package zoneplane.dataplane.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import java.util.Map;
import zoneplane.dataplane.errors.ErrorAnswer;

/**
 * The one place that decides how a visitor's request is framed, for both visitor paths and both
 * protocols: which version, target, host and body the edge reads from it, or that it refuses it
 * (request smuggling lives in the gap between two parsers' answers to these questions, so the edge
 * answers them once and then writes the framing the origin gets itself, {@link #frame}). Netty's
 * decoder has already refused what it cannot parse (bare LF or CR, invalid header names, space
 * before a colon, control characters in values, a Content-Length list, Content-Length with
 * Transfer-Encoding, chunked not last, bad chunk sizes); this adds the rules it leaves to its user:
 * <ul>
 *   <li>HTTP/1.0 and HTTP/1.1 only on an HTTP/1.1 connection (others 505);</li>
 *   <li>origin-form ({@code /path?query}) or absolute-form ({@code http://host/path}) targets of visible
 *       ASCII; absolute-form routes by its authority, which replaces Host (RFC 9112 §3.2.2);</li>
 *   <li>exactly one valid Host (for absolute-form, at most one);</li>
 *   <li>Transfer-Encoding only as one {@code chunked} on HTTP/1.1, never with Content-Length;
 *       Content-Length as one plain decimal number;</li>
 *   <li>HTTP/2 (RFC 9113 §8.2): no connection-specific field, lower-case names, values without
 *       CR, LF, NUL or surrounding white space, and a Host that agrees with {@code :authority}.</li>
 * </ul>
 * A refused framing closes the connection after the error page: nothing that follows it can be trusted.
 *
 * @param target the origin-form target the origin gets ({@code /path?query})
 * @param host the host that routes the request and that the origin gets as Host
 * @param contentLength the body's declared length, or -1 when it has none (chunked, HTTP/2 DATA, no body)
 * @param hasBody whether a body follows the head
 * @param refusal the edge's answer when the framing is refused, else null
 */
record RequestFraming(String target, String host, long contentLength, boolean hasBody, ErrorAnswer refusal) {

    /**
     * Connection-specific fields an HTTP/2 request must not carry (RFC 9113 §8.2.2); TE only as "trailers".
     * Transfer-Encoding is not among them: Netty's HPACK decoder refuses a visitor's, and its conversion to
     * HTTP/1.1 adds {@code chunked} itself to a request without content-length.
     */
    private static final List<CharSequence> HTTP2_FORBIDDEN = List.of(HttpHeaderNames.CONNECTION,
            HttpHeaderNames.KEEP_ALIVE, HttpHeaderNames.PROXY_CONNECTION, HttpHeaderNames.UPGRADE);

    /**
     * Decides the framing of a request from its decoded head.
     *
     * @param http2 whether it came on an HTTP/2 stream (Netty converted its pseudo-header fields)
     */
    static RequestFraming of(HttpMethod method, String uri, HttpVersion version, HttpHeaders in, boolean http2) {
        boolean hasBody = hasBody(method, in, http2);
        if (!http2 && !(version.equals(HttpVersion.HTTP_1_1) || version.equals(HttpVersion.HTTP_1_0))) {
            return refuse(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED,
                    "This edge speaks HTTP/1.0 and HTTP/1.1 on this connection (or HTTP/2 by negotiation), not "
                            + version.text() + ".", hasBody);
        }
        RequestTarget target = RequestTarget.parse(uri, http2);
        String problem = http2 ? http2Problem(in) : null;
        if (problem == null) {
            problem = target.problem();
        }
        if (problem == null) {
            problem = hostProblem(in.getAll(HttpHeaderNames.HOST), target.authority() != null);
        }
        if (problem == null && !http2) {
            problem = codingProblem(in, version);
        }
        long length = in.contains(HttpHeaderNames.CONTENT_LENGTH) ? contentLength(in) : -1;
        if (problem == null && length < 0 && in.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            problem = "The request's Content-Length is not a single non-negative number.";
        }
        if (problem != null) {
            return refuse(HttpResponseStatus.BAD_REQUEST, problem, hasBody);
        }
        String host = target.authority() != null ? target.authority() : in.get(HttpHeaderNames.HOST);
        return new RequestFraming(target.path(), host, length, hasBody, null);
    }

    /** Exactly one valid Host; absolute-form (whose authority wins) needs none, but two are still ambiguous. */
    private static String hostProblem(List<String> hosts, boolean absoluteForm) {
        if (hosts.size() > 1) {
            return "The request has more than one Host header.";
        }
        if (hosts.isEmpty()) {
            return absoluteForm ? null : "The request has no Host header.";
        }
        return validHost(hosts.get(0)) ? null : "The request's Host header is not a valid host name.";
    }

    /** Transfer-Encoding only as one {@code chunked}, on HTTP/1.1, without Content-Length. */
    private static String codingProblem(HttpHeaders in, HttpVersion version) {
        List<String> codings = in.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (codings.isEmpty()) {
            return null;
        }
        if (in.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            return "The request has both Content-Length and Transfer-Encoding.";
        }
        if (version.equals(HttpVersion.HTTP_1_0)) {
            // RFC 9112 §6.1: an HTTP/1.0 sender cannot mean chunked, so the framing is faulty.
            return "An HTTP/1.0 request cannot have a Transfer-Encoding.";
        }
        if (codings.size() != 1 || !HttpHeaderValues.CHUNKED.contentEqualsIgnoreCase(trimmed(codings.get(0)))) {
            return "The request's Transfer-Encoding is not supported (only chunked is).";
        }
        return null;
    }

    boolean refused() {
        return refusal != null;
    }

    /**
     * Writes the edge's own routing and framing into the headers the origin gets, whatever the
     * visitor's copies said: the routed Host, and Content-Length only as the edge read it.
     * Transfer-Encoding is the edge's to add ({@link #chunkedForHttp1}), never the visitor's.
     */
    void frame(HttpHeaders out) {
        out.set(HttpHeaderNames.HOST, host);
        out.remove(HttpHeaderNames.TRANSFER_ENCODING);
        if (contentLength >= 0) {
            out.set(HttpHeaderNames.CONTENT_LENGTH, Long.toString(contentLength));
        } else {
            out.remove(HttpHeaderNames.CONTENT_LENGTH);
        }
    }

    /** For an HTTP/1.1 origin: a body of unknown length (chunked, or HTTP/2 DATA) goes chunked. */
    void chunkedForHttp1(HttpHeaders out) {
        if (hasBody && contentLength < 0) {
            out.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
    }

    private static RequestFraming refuse(HttpResponseStatus status, String detail, boolean hasBody) {
        return new RequestFraming(null, null, -1, hasBody, ErrorAnswer.of(status, detail, true));
    }

    /**
     * Whether a body follows: HTTP/1.1 framing announces one (a Content-Length other than 0, or a
     * Transfer-Encoding); on HTTP/2, which has no framing fields, unless the length is 0 or the method
     * never carries one.
     */
    private static boolean hasBody(HttpMethod method, HttpHeaders in, boolean http2) {
        String length = in.get(HttpHeaderNames.CONTENT_LENGTH);
        if (length != null) {
            return !"0".equals(length.trim());
        }
        if (in.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            return true;
        }
        return http2 && method != HttpMethod.GET && method != HttpMethod.HEAD;
    }

    /** The Content-Length as a number; -1 when absent, repeated or not a plain non-negative integer. */
    private static long contentLength(HttpHeaders in) {
        List<String> values = in.getAll(HttpHeaderNames.CONTENT_LENGTH);
        if (values.size() != 1) {
            return -1;
        }
        String text = trimmed(values.get(0));
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

    /** What an HTTP/2 request must not carry (RFC 9113 §8.2), or null. */
    private static String http2Problem(HttpHeaders in) {
        for (CharSequence name : HTTP2_FORBIDDEN) {
            if (in.contains(name)) {
                return "An HTTP/2 request may not carry the connection-specific field " + name + ".";
            }
        }
        String te = in.get(HttpHeaderNames.TE);
        if (te != null && !HttpHeaderValues.TRAILERS.contentEqualsIgnoreCase(trimmed(te))) {
            return "An HTTP/2 request may carry TE only as \"trailers\".";
        }
        for (Map.Entry<String, String> field : in) {
            if (!lowerCaseToken(field.getKey()) || !cleanValue(field.getValue())) {
                return "An HTTP/2 request field is malformed (upper case or invalid name, or CR, LF, NUL or "
                        + "surrounding white space in its value).";
            }
        }
        return null;
    }

    private static boolean lowerCaseToken(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean cleanValue(String value) {
        if (!value.isEmpty() && (isSpace(value.charAt(0)) || isSpace(value.charAt(value.length() - 1)))) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0 || c == '\r' || c == '\n') {
                return false;
            }
        }
        return true;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    private static String trimmed(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && isSpace(value.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(value.charAt(end - 1))) {
            end--;
        }
        return value.substring(start, end);
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
