package zoneplane.controlplane.auth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;
import zoneplane.controlplane.api.ApiError;
import zoneplane.controlplane.api.ApiErrorCode;
import zoneplane.controlplane.api.ApiException;
import zoneplane.controlplane.api.ApiExceptionHandler;
import zoneplane.controlplane.api.Envelope;
import zoneplane.controlplane.api.FilterErrors;

/**
 * The one place where the parts of a request that the framework would otherwise parse lazily, deep
 * inside some controller, are judged up front, so a malformed one is a clear 4xx on every endpoint
 * and never an exception escaping as a 500:
 * <ul>
 *   <li>HTTP/0.9 (a request line without a version) is refused: its answers have no status line,
 *       so a client could never tell a refusal from data;</li>
 *   <li>a {@code Content-Type} must name one media type: a malformed value or a wildcard
 *       ({@code *}{@code /*}, {@code application/*}) is 415, before Spring's request wrapper,
 *       which rejects wildcards with an exception, ever sees it;</li>
 *   <li>the query string must decode (every {@code %} a valid escape, UTF-8, named parameters):
 *       400 otherwise, whether or not the endpoint reads parameters.</li>
 * </ul>
 * Runs right after the path check and before authentication, like it: syntax is refused before
 * identity is looked up.
 */
public final class RequestSyntaxGuard extends OncePerRequestFilter {

    // Immutable once built; used only for the HTTP/0.9 answer, which cannot go through Spring MVC.
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String HTTP09_MESSAGE = "HTTP/0.9 is not supported: send an HTTP/1.1 request line "
            + "(GET /path HTTP/1.1) and a Host header";

    private final FilterErrors errors;

    public RequestSyntaxGuard(FilterErrors errors) {
        this.errors = errors;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (http09(request)) {
            refuseHttp09(response);
            return;
        }
        String contentType = request.getContentType();
        if (contentType != null && !concreteMediaType(contentType)) {
            errors.answer(new WithoutContentType(request), response, ApiExceptionHandler.unsupportedContentType());
            return;
        }
        if (!queryDecodes(request)) {
            errors.answer(request, response, new ApiException(ApiErrorCode.INVALID_REQUEST, ApiExceptionHandler.MALFORMED_QUERY));
            return;
        }
        chain.doFilter(request, response);
    }

    static boolean http09(HttpServletRequest request) {
        String protocol = request.getProtocol();
        return protocol == null || protocol.isEmpty() || "HTTP/0.9".equals(protocol);
    }

    /** One type and one subtype, neither a wildcard, parameters well-formed. */
    static boolean concreteMediaType(String value) {
        try {
            MediaType type = MediaType.parseMediaType(value);
            return !type.isWildcardType() && !type.isWildcardSubtype();
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }

    /**
     * Asks the container to parse the parameters now, which decodes the query string. A urlencoded
     * POST body would be parsed along with it, so such requests are left to the endpoint (the API
     * refuses the content type with 415 anyway, and the exception handler catches a late failure).
     */
    private static boolean queryDecodes(HttpServletRequest request) {
        if (request.getQueryString() == null || formPost(request)) {
            return true;
        }
        try {
            request.getParameterMap();
            return true;
        } catch (InvalidParameterException e) {
            return false;
        }
    }

    private static boolean formPost(HttpServletRequest request) {
        String contentType = request.getContentType();
        return "POST".equals(request.getMethod()) && contentType != null
                && contentType.regionMatches(true, 0, MediaType.APPLICATION_FORM_URLENCODED_VALUE, 0,
                        MediaType.APPLICATION_FORM_URLENCODED_VALUE.length());
    }

    /**
     * An HTTP/0.9 answer is its body alone, without status line or headers. So the body written is
     * a complete HTTP/1.1 400 answer: whatever the client is, it reads a status and the envelope
     * rather than an unlabelled body. The container closes the connection after it (HTTP/0.9 has
     * no keep-alive).
     */
    private static void refuseHttp09(HttpServletResponse response) throws IOException {
        byte[] body = JSON.writeValueAsBytes(Envelope.failure(new ApiError(ApiErrorCode.MALFORMED_REQUEST.code(), HTTP09_MESSAGE)));
        String head = "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n";
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        response.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        response.getOutputStream().write(body);
        response.flushBuffer();
    }

    /**
     * The request as the error answer sees it: without the Content-Type that was refused, which
     * Spring's request wrapper would otherwise try (and fail) to parse again while answering.
     */
    private static final class WithoutContentType extends HttpServletRequestWrapper {

        WithoutContentType(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getContentType() {
            return null;
        }

        @Override
        public String getHeader(String name) {
            return HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            return Collections.enumeration(Collections.list(super.getHeaderNames()).stream()
                    .filter(name -> !HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name)).toList());
        }
    }

    @Override
    public String toString() {
        return "RequestSyntaxGuard[no HTTP/0.9, concrete Content-Type, decodable query]";
    }
}
