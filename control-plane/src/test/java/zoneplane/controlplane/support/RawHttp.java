package zoneplane.controlplane.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends bytes no well-behaved client would (bad percent-encoding, odd methods and request lines,
 * unsupported codings, HTTP/0.9) over a plain socket and reads the answer until the server closes
 * the connection. Requests should say {@code Connection: close}. Bounded by a 10 s read timeout.
 */
public final class RawHttp {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private RawHttp() {}

    /** The answer: status line, headers (lower-case names), body (de-chunked), and the raw bytes. */
    public record Answer(String statusLine, int status, Map<String, String> headers, String body, String raw) {

        public JsonNode json() {
            return JSON.readTree(body);
        }

        @Override
        public String toString() {
            return raw.length() > 600 ? raw.substring(0, 600) + "…" : raw;
        }
    }

    public static Answer exchange(int port, String request) {
        return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    public static Answer exchange(int port, byte[] request) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            return parse(readUntilClosed(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0 && received.size() < 4 << 20; ) {
                received.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // a server that keeps the connection open: what arrived is the answer
        }
        return received.toByteArray();
    }

    static Answer parse(byte[] bytes) {
        String raw = new String(bytes, StandardCharsets.UTF_8);
        String latin = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = latin.indexOf("\r\n\r\n");
        if (!latin.startsWith("HTTP/") || end < 0) {
            return new Answer("", -1, Map.of(), raw, raw);
        }
        String[] lines = latin.substring(0, end).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        byte[] body = java.util.Arrays.copyOfRange(bytes, end + 4, bytes.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        String[] status = lines[0].split(" ", 3);
        return new Answer(lines[0], Integer.parseInt(status[1]), headers, new String(body, StandardCharsets.UTF_8), raw);
    }

    /** Chunk sizes count bytes, so the body is de-chunked before it is decoded. */
    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String latin = new String(chunked, StandardCharsets.ISO_8859_1);
        int at = 0;
        while (at < chunked.length) {
            int lineEnd = latin.indexOf("\r\n", at);
            if (lineEnd < 0) {
                break;
            }
            int size = Integer.parseInt(latin.substring(at, lineEnd).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            body.write(chunked, lineEnd + 2, Math.min(size, chunked.length - lineEnd - 2));
            at = lineEnd + 2 + size + 2;
        }
        return body.toByteArray();
    }
}
