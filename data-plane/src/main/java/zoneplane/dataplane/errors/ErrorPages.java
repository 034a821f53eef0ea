package zoneplane.dataplane.errors;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;
import zoneplane.dataplane.headers.EdgeHeaders;

/**
 * The edge's own short HTML error pages. Each names the status and the ray id (so a visitor can quote
 * it); none reveals internals (no exception text, no origin address).
 */
public final class ErrorPages {

    public static final HttpResponseStatus LOOP_DETECTED = HttpResponseStatus.valueOf(508, "Loop Detected");
    public static final HttpResponseStatus ORIGIN_UNSET = HttpResponseStatus.valueOf(530, "Origin Not Configured");

    private ErrorPages() {}

    /** Replaces whatever the response had with {@code answer} (its page, and Retry-After when it has one). */
    public static Mono<Void> send(HttpServerResponse res, ErrorAnswer answer, String ray) {
        // The headers are set now and go out when the returned Mono is subscribed.
        Mono<Void> sent = send(res, answer.status(), answer.detail(), ray, answer.closeConnection());
        if (answer.retryAfterSeconds() > 0) {
            res.header(HttpHeaderNames.RETRY_AFTER, Integer.toString(answer.retryAfterSeconds()));
        }
        return sent;
    }

    /** Replaces whatever the response had and answers {@code status} with a page explaining {@code detail}. */
    public static Mono<Void> send(HttpServerResponse res, HttpResponseStatus status, String detail, String ray,
            boolean closeConnection) {
        res.responseHeaders().clear();
        res.status(status)
                .header(EdgeHeaders.CF_RAY, ray)
                .header(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8")
                .header(HttpHeaderNames.CACHE_CONTROL, "no-store");
        if (closeConnection) {
            res.keepAlive(false);
        }
        return res.sendString(Mono.just(page(status, detail, ray))).then();
    }

    /**
     * {@code answer} as a whole HTTP/1.1 response, for the plain Netty path; {@code Connection: close}
     * when {@code closeConnection} (the answer's own, or the visitor's request asked for it).
     */
    public static FullHttpResponse response(ByteBufAllocator alloc, ErrorAnswer answer, String ray, boolean closeConnection) {
        HttpResponseStatus status = answer.status();
        ByteBuf body = ByteBufUtil.writeUtf8(alloc, page(status, answer.detail(), ray));
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers()
                .set(EdgeHeaders.CF_RAY, ray)
                .set(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        if (closeConnection) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        if (answer.retryAfterSeconds() > 0) {
            response.headers().setInt(HttpHeaderNames.RETRY_AFTER, answer.retryAfterSeconds());
        }
        return response;
    }

    /**
     * {@code status} with its page as the bytes of a whole HTTP/1.1 response that closes the connection,
     * for an answer written below the HTTP codec (when no request was decoded, so there is no exchange
     * to answer through).
     */
    public static ByteBuf rawResponse(ByteBufAllocator alloc, HttpResponseStatus status, String detail, String ray) {
        byte[] page = page(status, detail, ray).getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status.code() + " " + status.reasonPhrase() + "\r\n"
                + EdgeHeaders.CF_RAY + ": " + ray + "\r\n"
                + "Content-Type: text/html; charset=utf-8\r\n"
                + "Cache-Control: no-store\r\n"
                + "Content-Length: " + page.length + "\r\n"
                + "Connection: close\r\n\r\n";
        ByteBuf response = alloc.buffer(head.length() + page.length);
        response.writeCharSequence(head, StandardCharsets.ISO_8859_1);
        response.writeBytes(page);
        return response;
    }

    static String page(HttpResponseStatus status, String detail, String ray) {
        String title = status.code() + " " + status.reasonPhrase();
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + title + "</title></head>\n"
                + "<body><h1>" + title + "</h1>\n<p>" + escape(detail) + "</p>\n"
                + "<p>Ray ID: <code>" + ray + "</code> &middot; zoneplane</p></body></html>\n";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
