package zoneplane.controlplane.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies above {@code zoneplane.api.max-body-size} with 413: at once when
 * Content-Length says so, otherwise (chunked) by counting while the body is read, so a client can
 * never make the API buffer more than the limit. API bodies are a few hundred bytes; the limit only
 * exists to bound memory. The nodes' usage ingest ({@code POST /internal/v1/nodes/{id}/usage}) is
 * exempt: a node with thousands of zones ships megabytes, and that endpoint bounds its body itself
 * ({@code zoneplane.analytics.max-report-compressed-size} and {@code max-report-size}).
 */
public final class RequestBodyLimitFilter extends OncePerRequestFilter {

    private static final java.util.regex.Pattern OWN_LIMIT = java.util.regex.Pattern.compile("/internal/v1/nodes/[^/]+/usage");

    private final long limit;

    public RequestBodyLimitFilter(long limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("body limit must be positive: " + limit);
        }
        this.limit = limit;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return OWN_LIMIT.matcher(request.getRequestURI()).matches();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            response.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
            return;
        }
        chain.doFilter(declared >= 0 ? request : new Counted(request, limit), response);
    }

    /**
     * {@code request} with its body refused ({@link BodyTooLargeException}) once more than {@code limit}
     * bytes were read: for an endpoint this filter exempts, which bounds its body itself.
     */
    public static HttpServletRequest bounded(HttpServletRequest request, long limit) {
        return new Counted(request, limit);
    }

    @Override
    public String toString() {
        return "RequestBodyLimitFilter[" + limit + " bytes]";
    }

    private static final class Counted extends HttpServletRequestWrapper {

        private final long limit;
        private ServletInputStream stream;

        Counted(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new CountingStream(super.getInputStream(), limit);
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
    }

    private static final class CountingStream extends ServletInputStream {

        private final ServletInputStream in;
        private final long limit;
        private long count;

        CountingStream(ServletInputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        private void add(int n) throws BodyTooLargeException {
            count += n;
            if (count > limit) {
                throw new BodyTooLargeException(limit);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
