package zoneplane.controlplane.api;

import zoneplane.controlplane.database.DatabaseFailures;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import zoneplane.controlplane.database.DatabaseAvailability;

/**
 * Replaces Spring Boot's default {@code /error} page, which the servlet container renders for
 * failures that never reach a controller (a filter's {@code sendError}, a request the container
 * refused). Those answers keep the envelope too, and say only what their status means.
 */
@RestController
@Hidden
public class EnvelopeErrorController implements ErrorController {

    private final DatabaseAvailability database;

    public EnvelopeErrorController(DatabaseAvailability database) {
        this.database = database;
    }

    @RequestMapping("/error")
    public ResponseEntity<Envelope<Object>> error(HttpServletRequest request) {
        if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable failure
                && DatabaseFailures.isOutage(failure)) {
            // A filter (authentication, rate limit) needed the database and could not reach it.
            return ApiExceptionHandler.databaseUnavailable(database, failure);
        }
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int code = status instanceof Integer value ? value : 500;
        return ResponseEntity.status(ContainerRefusals.status(code))
                .contentType(MediaType.APPLICATION_JSON)
                .body(Envelope.failure(ContainerRefusals.describe(code, originalMethod(request), request.getHeader("Transfer-Encoding"))));
    }

    /** An error dispatch is a GET (Servlet 6.1); the method the client sent is kept in an attribute. */
    private static String originalMethod(HttpServletRequest request) {
        return request.getAttribute(RequestDispatcher.ERROR_METHOD) instanceof String method ? method : request.getMethod();
    }
}
