package zoneplane.controlplane.api;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers requests that Tomcat refuses before any application code runs (an encoded slash or
 * backslash in the path, a malformed request line or header) in the API's envelope instead of
 * Tomcat's HTML page, which names the server and its version. The status is labelled by what
 * happened ({@link ContainerRefusals}: "Method CONNECT is not supported", "Transfer-Encoding gzip
 * is not supported"); never an exception or its message. Answers the
 * application produced itself are left alone (something was written already).
 */
public final class EnvelopeErrorReportValve extends ErrorReportValve {

    // Immutable once built; the valve is created by Tomcat, outside Spring.
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        ApiError error = ContainerRefusals.describe(status, request.getMethod(), request.getHeader("Transfer-Encoding"));
        try {
            response.setContentType("application/json");
            response.setCharacterEncoding("utf-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(JSON.writeValueAsString(Envelope.failure(error)));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response is committed: there is no one left to answer
        }
    }
}
