package zoneplane.dataplane.setting;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import zoneplane.dataplane.support.ProxyExtension;
import zoneplane.dataplane.support.RawHttp;
import zoneplane.dataplane.support.Zones;
import zoneplane.model.Plan;

class MaxUploadThroughProxyTest {

    private static final long MB = 1024 * 1024;

    @RegisterExtension
    static ProxyExtension edge = ProxyExtension.zones(origin -> List.of(
            Zones.zone("free.test", origin.url()).plan(Plan.FREE).build()));

    @BeforeEach
    void clear() {
        edge.origin().clear();
    }

    @Test
    void declaredLengthOverTheLimitGets413BeforeTheOriginIsContacted() {
        String response = RawHttp.exchange("127.0.0.1", edge.httpPort(),
                "POST /discard HTTP/1.1\r\nHost: free.test\r\nContent-Length: " + (100 * MB + 1) + "\r\n\r\n");

        assertThat(RawHttp.status(response)).isEqualTo(413);
        assertThat(response).contains("Ray ID");
        assertThat(edge.origin().requests()).isEmpty();
    }

    @Test
    void declaredLengthAtTheLimitIsAccepted() throws Exception {
        String response = stream("Content-Length: " + (100 * MB), 100 * MB, false);

        assertThat(RawHttp.status(response)).isEqualTo(200);
        assertThat(response).endsWith("ok " + (100 * MB));
    }

    @Test
    void chunkedBodyCrossingTheLimitIsCutWith413() throws Exception {
        String response = stream("Transfer-Encoding: chunked", 101 * MB, true);

        assertThat(RawHttp.status(response)).isEqualTo(413);
    }

    /**
     * Writes a request of {@code total} bytes (chunked or not) while another thread reads the answer, so
     * an early 413 is seen even if the edge closes the connection before the upload ends.
     */
    private static String stream(String framing, long total, boolean chunked) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", edge.httpPort()), 3000);
            socket.setSoTimeout(20_000);
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> read(socket));
            OutputStream out = socket.getOutputStream();
            try {
                out.write(("POST /discard HTTP/1.1\r\nHost: free.test\r\n" + framing + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                byte[] block = new byte[(int) MB];
                for (long sent = 0; sent < total && !answer.isDone(); sent += MB) {
                    if (chunked) {
                        out.write((Integer.toHexString(block.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    }
                    out.write(block);
                    if (chunked) {
                        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    }
                }
                if (chunked) {
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                out.flush();
            } catch (java.io.IOException closedByEdge) {
                // the edge answered and closed while we were still sending: the answer tells what happened
            }
            return answer.get(30, TimeUnit.SECONDS);
        }
    }

    private static String read(Socket socket) {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) > 0) {
                received.write(buffer, 0, n);
                String text = received.toString(StandardCharsets.ISO_8859_1);
                int end = text.indexOf("\r\n\r\n");
                if (end > 0 && text.length() > end + 4 && (text.endsWith("</html>\n") || text.contains("\r\n\r\nok "))) {
                    break;
                }
            }
        } catch (java.io.IOException e) {
            // reset after the answer
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }
}
