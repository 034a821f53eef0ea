package zoneplane.dataplane.origin;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;

/**
 * What an {@link OriginCall} tells its caller, always on the visitor's event loop. Exactly one of
 * {@link #response} (then {@link #content} until a {@code LastHttpContent}, or {@link #failed}) or
 * {@link #failed} happens; nothing follows a failure.
 */
public interface OriginReceiver {

    /**
     * The origin's final response head (informational 1xx answers are skipped) with the first part
     * of its body, which is a {@code LastHttpContent} when the whole response came at once. The
     * receiver owns {@code first}.
     */
    void response(HttpResponse head, HttpContent first);

    /** The next part of the body; a {@code LastHttpContent} ends it. The receiver owns it. */
    void content(HttpContent content);

    /**
     * The exchange failed: before {@link #response} the visitor may get an error page, after it the
     * body is cut. The origin connection is already closed.
     */
    void failed(Throwable cause);

    /** The origin connection can take more of the request body again (see {@link OriginCall#bodyWritable}). */
    void bodyWritable();
}
