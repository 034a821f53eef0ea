package zoneplane.controlplane.api;

import java.util.Locale;
import org.springframework.http.HttpStatus;

/**
 * What to tell a client whose request the servlet container refused with only a status (Tomcat
 * answers CONNECT, an unsupported Transfer-Encoding, an unknown HTTP version or a malformed request
 * line itself, before any filter runs): the row of {@link ApiErrorCode} for the status and a message
 * that says what happened, built from the request's method and framing headers, never from an
 * exception. Shared by the container's error report valve and the {@code /error} controller, so a
 * refusal reads the same whichever of them renders it.
 */
public final class ContainerRefusals {

    private ContainerRefusals() {}

    /**
     * @param status the status the container chose
     * @param method the request method (null when the request line could not be parsed)
     * @param transferEncoding the request's Transfer-Encoding header, or null
     */
    public static ApiError describe(int status, String method, String transferEncoding) {
        ApiErrorCode code = status == 400 ? ApiErrorCode.MALFORMED_REQUEST : ApiErrorCode.forStatus(status);
        return new ApiError(code.code(), message(status, code, method, transferEncoding));
    }

    /** The status to answer with: the container's, unless it is a 5xx the table does not know (then 500). */
    public static int status(int status) {
        ApiErrorCode code = ApiErrorCode.forStatus(status);
        return code == ApiErrorCode.INTERNAL_ERROR ? HttpStatus.INTERNAL_SERVER_ERROR.value() : status;
    }

    private static String message(int status, ApiErrorCode code, String method, String transferEncoding) {
        switch (status) {
            case 501:
                if (transferEncoding != null && !transferEncoding.isBlank()) {
                    return "Transfer-Encoding " + printable(transferEncoding).toLowerCase(Locale.ROOT) + " is not supported: send the body with "
                            + "Content-Length or Transfer-Encoding: chunked";
                }
                return method == null ? "Not implemented" : "Method " + printable(method) + " is not supported";
            case 405:
                return method == null ? code.meaning() : "Method " + printable(method) + " not allowed for this URI";
            case 505:
                return "HTTP version not supported: use HTTP/1.1 (or HTTP/2)";
            case 400:
                return "Malformed request: the request line, a header or the percent-encoding of the path or query is invalid";
            default:
                if (code == ApiErrorCode.INTERNAL_ERROR) {
                    return "Internal error";
                }
                if (code == ApiErrorCode.MALFORMED_REQUEST) {
                    HttpStatus known = HttpStatus.resolve(status);
                    return "Request refused: HTTP " + status + (known == null ? "" : " " + known.getReasonPhrase());
                }
                return code.meaning();
        }
    }

    /** A request value as a message may show it: short, printable ASCII only. */
    private static String printable(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length() && out.length() < 40; i++) {
            char c = value.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString().strip();
    }
}
