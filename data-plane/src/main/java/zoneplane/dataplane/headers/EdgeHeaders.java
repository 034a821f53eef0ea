package zoneplane.dataplane.headers;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.AsciiString;

/**
 * Header rules of the edge (RFC 9110 §7.6.1 hop-by-hop fields; SPEC §5.2 identity headers). All
 * names are interned {@link AsciiString}s so lookups hash without allocating.
 */
public final class EdgeHeaders {

    public static final AsciiString CF_CONNECTING_IP = AsciiString.cached("CF-Connecting-IP");
    public static final AsciiString CF_CONNECTING_IPV6 = AsciiString.cached("CF-Connecting-IPv6");
    public static final AsciiString CF_IPCOUNTRY = AsciiString.cached("CF-IPCountry");
    public static final AsciiString CF_PSEUDO_IPV4 = AsciiString.cached("Cf-Pseudo-IPv4");
    public static final AsciiString TRUE_CLIENT_IP = AsciiString.cached("True-Client-IP");
    public static final AsciiString CF_RAY = AsciiString.cached("CF-Ray");
    public static final AsciiString CF_VISITOR = AsciiString.cached("CF-Visitor");
    public static final AsciiString X_FORWARDED_FOR = AsciiString.cached("X-Forwarded-For");
    public static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("X-Forwarded-Proto");
    /** Stripped and never set: Cloudflare strips a visitor's {@code X-Real-IP} (without a Worker). */
    public static final AsciiString X_REAL_IP = AsciiString.cached("X-Real-IP");
    public static final AsciiString CDN_LOOP = AsciiString.cached("CDN-Loop");
    public static final AsciiString CDN_LOOP_TOKEN = AsciiString.cached("zoneplane");

    private static final String GRPC_CONTENT_TYPE = "application/grpc";
    private static final AsciiString CF_VISITOR_HTTP = AsciiString.cached("{\"scheme\":\"http\"}");
    private static final AsciiString CF_VISITOR_HTTPS = AsciiString.cached("{\"scheme\":\"https\"}");

    /** Fields that describe one connection only (RFC 9110 §7.6.1), plus the obsolete Proxy-Connection. */
    private static final AsciiString[] HOP_BY_HOP = {
        HttpHeaderNames.CONNECTION,
        HttpHeaderNames.KEEP_ALIVE,
        HttpHeaderNames.TE,
        HttpHeaderNames.TRAILER,
        HttpHeaderNames.TRANSFER_ENCODING,
        HttpHeaderNames.UPGRADE,
        HttpHeaderNames.PROXY_AUTHENTICATE,
        HttpHeaderNames.PROXY_AUTHORIZATION,
        HttpHeaderNames.PROXY_CONNECTION,
    };

    /**
     * The one list of identity headers only the edge may write (SPEC §5.2): every visitor copy (any case,
     * any number of lines) is dropped before the transforms run, then the edge writes its own
     * ({@code RequestAdmission.addIdentity} and the setting transforms). {@code X-Forwarded-For} is rebuilt from
     * the chain {@code VisitorResolver} read; {@code X-Real-IP} is only dropped, as Cloudflare does.
     */
    private static final AsciiString[] EDGE_OWNED = {
        CF_CONNECTING_IP, CF_CONNECTING_IPV6, CF_IPCOUNTRY, CF_PSEUDO_IPV4, TRUE_CLIENT_IP, CF_RAY, CF_VISITOR,
        X_FORWARDED_FOR, X_FORWARDED_PROTO, X_REAL_IP,
    };

    /**
     * Fields a {@code Connection} token may never remove: the message's framing, its routing, and what
     * the edge itself writes. Removing one on a visitor's word would let the visitor choose how the
     * origin frames the request (a Content-Length dropped while the body is still forwarded is a
     * request smuggled inside the body) or which host or identity it sees. nginx and HAProxy ignore
     * such tokens too; the fields that really are hop-by-hop are removed by name anyway.
     */
    private static final AsciiString[] NOT_NOMINATABLE = concat(new AsciiString[] {
        HttpHeaderNames.CONTENT_LENGTH, HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.HOST,
        HttpHeaderNames.UPGRADE, HttpHeaderNames.CONTENT_TYPE, CDN_LOOP,
    }, EDGE_OWNED);

    /** Netty's HTTP/2 → HTTP/1 conversion adds these; they are internal to this process. */
    private static final AsciiString[] HTTP2_EXTENSIONS = {
        HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text(),
        HttpConversionUtil.ExtensionHeaderNames.SCHEME.text(),
        HttpConversionUtil.ExtensionHeaderNames.PATH.text(),
        HttpConversionUtil.ExtensionHeaderNames.STREAM_DEPENDENCY_ID.text(),
        HttpConversionUtil.ExtensionHeaderNames.STREAM_PROMISE_ID.text(),
        HttpConversionUtil.ExtensionHeaderNames.STREAM_WEIGHT.text(),
    };

    private EdgeHeaders() {}

    /** Whether the request's content-type is gRPC's ({@code application/grpc}, any subtype). */
    public static boolean isGrpc(HttpHeaders in) {
        String contentType = in.get(HttpHeaderNames.CONTENT_TYPE);
        return contentType != null && contentType.regionMatches(true, 0, GRPC_CONTENT_TYPE, 0,
                GRPC_CONTENT_TYPE.length());
    }

    /**
     * Removes hop-by-hop fields, both ways: the fixed set and every field the Connection header lists,
     * except the framing, routing and edge-owned fields no token may remove ({@link #NOT_NOMINATABLE}).
     * A {@code TE: trailers} request header survives when {@code keepTeTrailers} (HTTP/2 and gRPC need it).
     */
    public static void removeHopByHop(HttpHeaders headers, boolean keepTeTrailers) {
        String te = keepTeTrailers ? headers.get(HttpHeaderNames.TE) : null;
        for (String connection : headers.getAll(HttpHeaderNames.CONNECTION)) {
            removeListed(headers, connection);
        }
        for (AsciiString name : HOP_BY_HOP) {
            headers.remove(name);
        }
        for (AsciiString name : HTTP2_EXTENSIONS) {
            headers.remove(name);
        }
        if (te != null && containsToken(te, "trailers")) {
            headers.set(HttpHeaderNames.TE, "trailers");
        }
    }

    /** Drops visitor-supplied copies of the headers only the edge writes (SPEC §5.2). */
    public static void removeEdgeOwned(HttpHeaders headers) {
        for (AsciiString name : EDGE_OWNED) {
            headers.remove(name);
        }
    }

    public static AsciiString cfVisitor(boolean https) {
        return https ? CF_VISITOR_HTTPS : CF_VISITOR_HTTP;
    }

    /** How many times {@code zoneplane} appears in the request's CDN-Loop list (RFC 8586). */
    public static int cdnLoopCount(HttpHeaders headers) {
        int count = 0;
        for (String value : headers.getAll(CDN_LOOP)) {
            int start = 0;
            while (start <= value.length()) {
                int comma = value.indexOf(',', start);
                int end = comma < 0 ? value.length() : comma;
                int semicolon = value.indexOf(';', start);
                int tokenEnd = semicolon >= 0 && semicolon < end ? semicolon : end;
                if (tokenEquals(value, start, tokenEnd, CDN_LOOP_TOKEN)) {
                    count++;
                }
                if (comma < 0) {
                    break;
                }
                start = comma + 1;
            }
        }
        return count;
    }

    /** Whether the comma-separated list {@code value} holds {@code token} (case-insensitive). */
    public static boolean containsToken(String value, String token) {
        int start = 0;
        while (start <= value.length()) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? value.length() : comma;
            if (tokenEquals(value, start, end, token)) {
                return true;
            }
            if (comma < 0) {
                return false;
            }
            start = comma + 1;
        }
        return false;
    }

    private static void removeListed(HttpHeaders headers, String connection) {
        int start = 0;
        while (start < connection.length()) {
            int comma = connection.indexOf(',', start);
            int end = comma < 0 ? connection.length() : comma;
            String name = connection.substring(start, end).trim();
            if (!name.isEmpty() && nominatable(name)) {
                headers.remove(name);
            }
            if (comma < 0) {
                break;
            }
            start = comma + 1;
        }
    }

    /** Whether a Connection token may remove the field {@code name} (see {@link #NOT_NOMINATABLE}). */
    static boolean nominatable(String name) {
        for (AsciiString kept : NOT_NOMINATABLE) {
            if (kept.contentEqualsIgnoreCase(name)) {
                return false;
            }
        }
        return true;
    }

    private static AsciiString[] concat(AsciiString[] first, AsciiString[] second) {
        AsciiString[] all = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    private static boolean tokenEquals(String value, int start, int end, CharSequence token) {
        while (start < end && isSpace(value.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(value.charAt(end - 1))) {
            end--;
        }
        return end - start == token.length() && value.regionMatches(true, start, token.toString(), 0, token.length());
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }
}
