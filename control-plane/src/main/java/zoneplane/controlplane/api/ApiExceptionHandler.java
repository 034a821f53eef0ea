package zoneplane.controlplane.api;

import zoneplane.controlplane.database.DatabaseFailures;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.springframework.web.util.DisconnectedClientHelper;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import zoneplane.controlplane.database.DatabaseAvailability;

/**
 * The single place where failures become answers: every error leaves the API in the Cloudflare
 * envelope with a precise status and a code from {@link ApiErrorCode}. Messages are written here or
 * by the feature that threw {@link ApiException}; framework and database messages never reach the
 * caller (they may name classes, SQL or internals), and unexpected failures are logged with their
 * stack trace and answered with a generic 500.
 */
@RestControllerAdvice
public class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    /** What a caller learns about a query string the container could not decode. */
    public static final String MALFORMED_QUERY = "Malformed query string: every % must start a %XX escape, the decoded "
            + "bytes must be UTF-8, and every parameter needs a name ('+' means a space; send a plus as %2B)";

    private final DatabaseAvailability database;

    public ApiExceptionHandler(DatabaseAvailability database) {
        this.database = database;
    }

    @ExceptionHandler(ApiException.class)
    public ResponseEntity<Envelope<Object>> api(ApiException e) {
        if (e instanceof DatabaseOutage.Refusal refusal) {
            return databaseUnavailable(database, refusal.failure());
        }
        return answer(e.code(), e.toError());
    }

    /**
     * The container could not decode the query string (bad percent-encoding, not UTF-8, an empty
     * name, too many parameters) when a controller first asked for a parameter. Normally the
     * request-syntax guard refuses such requests before any controller runs; this is the net for a
     * parse that happens later. The raw value is not echoed: it is what could not be decoded.
     */
    @ExceptionHandler(InvalidParameterException.class)
    public ResponseEntity<Envelope<Object>> undecodableParameters(InvalidParameterException e) {
        return answer(ApiErrorCode.INVALID_REQUEST, MALFORMED_QUERY);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    public ResponseEntity<Envelope<Object>> unreadable(HttpMessageNotReadableException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BodyTooLargeException) {
                return answer(ApiErrorCode.BODY_TOO_LARGE, "Request body too large");
            }
            if (t instanceof JacksonException jackson && jackson.getLocation() != null
                    && jackson.getLocation() != TokenStreamLocation.NA) {
                TokenStreamLocation at = jackson.getLocation();
                return answer(ApiErrorCode.MALFORMED_JSON, "Malformed JSON in request body at line "
                        + at.getLineNr() + ", column " + at.getColumnNr());
            }
        }
        return answer(ApiErrorCode.MALFORMED_JSON, "Malformed JSON in request body (a JSON object is required)");
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    public ResponseEntity<Envelope<Object>> mediaType(HttpMediaTypeNotSupportedException e) {
        return answer(ApiErrorCode.UNSUPPORTED_MEDIA_TYPE, unsupportedContentType().toError());
    }

    /** Cloudflare's answer to a body of the wrong type: 6003 with the specific 6105 in its error chain. */
    public static ApiException unsupportedContentType() {
        return new ApiException(ApiErrorCode.UNSUPPORTED_MEDIA_TYPE, "Invalid request headers", List.of(new ApiError(
                ApiErrorCode.INVALID_CONTENT_TYPE.code(), "Invalid Content-Type header, valid values are application/json")));
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    public ResponseEntity<Envelope<Object>> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return answer(ApiErrorCode.NOT_ACCEPTABLE, "The API answers application/json only");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    public ResponseEntity<Envelope<Object>> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(ApiErrorCode.METHOD_NOT_ALLOWED.status())
                .contentType(MediaType.APPLICATION_JSON);
        if (e.getSupportedHttpMethods() != null) {
            builder.header(HttpHeaders.ALLOW, e.getSupportedHttpMethods().stream().map(Object::toString)
                    .reduce((a, b) -> a + ", " + b).orElse(""));
        }
        return builder.body(Envelope.failure(new ApiError(ApiErrorCode.METHOD_NOT_ALLOWED.code(),
                "Method " + e.getMethod() + " not allowed for this URI")));
    }

    @ExceptionHandler({NoResourceFoundException.class, NoHandlerFoundException.class})
    public ResponseEntity<Envelope<Object>> noRoute(Exception e) {
        return answer(ApiErrorCode.NO_ROUTE, "No route for that URI");
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    public ResponseEntity<Envelope<Object>> typeMismatch(MethodArgumentTypeMismatchException e) {
        return answer(ApiErrorCode.INVALID_REQUEST, "Invalid value for parameter " + e.getName());
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    public ResponseEntity<Envelope<Object>> missingParameter(MissingServletRequestParameterException e) {
        return answer(ApiErrorCode.INVALID_REQUEST, "Missing query parameter " + e.getParameterName());
    }

    @ExceptionHandler(ServletRequestBindingException.class)
    public ResponseEntity<Envelope<Object>> binding(ServletRequestBindingException e) {
        return answer(ApiErrorCode.INVALID_REQUEST, "Invalid request");
    }

    /**
     * Anything else. Framework errors that know their status (they implement ErrorResponse) keep it;
     * the rest are failures of ours: logged with the stack trace, answered with a generic 500.
     */
    @ExceptionHandler(Exception.class)
    public ResponseEntity<Envelope<Object>> unexpected(Exception e) {
        if (e instanceof ErrorResponse framework) {
            ApiErrorCode code = ApiErrorCode.forStatus(framework.getStatusCode().value());
            if (code != ApiErrorCode.INTERNAL_ERROR) {
                return answer(code, code.meaning());
            }
        }
        if (DisconnectedClientHelper.isClientDisconnectedException(e)) {
            // The caller (often a node's change stream) went away: nothing to answer, nothing wrong here.
            log.debug("client disconnected: {}", e.toString());
            return null;
        }
        if (DatabaseFailures.isOutage(e) || DatabaseFailures.timedOut(e)) {
            return databaseUnavailable(database, e);
        }
        log.error("unexpected failure answering a request", e);
        return answer(ApiErrorCode.INTERNAL_ERROR, "Internal error");
    }

    /**
     * The database cannot be reached: a 503 with Retry-After. The failure tells {@code database} it is
     * down (if it did not know yet), which logs that once: nothing is logged per request.
     */
    static ResponseEntity<Envelope<Object>> databaseUnavailable(DatabaseAvailability database, Throwable e) {
        database.failed(e);
        log.debug("database unavailable, answering 503: {}", e.toString());
        return ResponseEntity.status(ApiErrorCode.DATABASE_UNAVAILABLE.status())
                .header(HttpHeaders.RETRY_AFTER, DatabaseOutage.RETRY_AFTER_SECONDS)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Envelope.failure(new ApiError(ApiErrorCode.DATABASE_UNAVAILABLE.code(), DatabaseOutage.UNAVAILABLE_MESSAGE)));
    }

    /**
     * The envelope as JSON whatever the request's Accept header said: a client that asked for HTML
     * still learns what went wrong, with the real status, instead of an empty 406.
     */
    static ResponseEntity<Envelope<Object>> answer(ApiErrorCode code, String message) {
        return answer(code, new ApiError(code.code(), message));
    }

    private static ResponseEntity<Envelope<Object>> answer(ApiErrorCode code, ApiError error) {
        return ResponseEntity.status(code.status())
                .contentType(MediaType.APPLICATION_JSON)
                .body(Envelope.failure(error));
    }
}
