package zoneplane.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import zoneplane.dataplane.support.ProxyExtension;
import zoneplane.dataplane.support.Zones;
import zoneplane.model.Plan;

/**
 * SPEC §5.8: a streamed upload that crosses {@code max_upload} after the origin has already started its
 * response cannot get a 413 any more; the visitor must be able to tell the response is cut (a reset or a
 * chunked body without its last chunk), never see a clean, complete response.
 */
class UploadLimitAfterResponseStartedTest {

    private static final long MB = 1024 * 1024;
    private static final AtomicLong originReceived = new AtomicLong();

    /** Answers at once with a streamed body, then reads the upload and only then ends its response. */
    private static final DisposableServer earlyOrigin = HttpServer.create()
            .bindAddress(() -> new InetSocketAddress("127.0.0.1", 0))
            .handle((req, res) -> res.sendString(Flux.concat(
                    Mono.just("started\n"),
                    req.receive().map(ByteBuf::readableBytes).reduce(0L, Long::sum)
                            .doOnNext(originReceived::set)
                            .map(total -> "done " + total + "\n"))))
            .bindNow();

    @RegisterExtension
    static ProxyExtension edge = ProxyExtension.zones(origin -> List.of(
            Zones.zone("free.test", "http://127.0.0.1:" + earlyOrigin.port()).plan(Plan.FREE).build()));

    @AfterAll
    static void stopOrigin() {
        earlyOrigin.disposeNow(Duration.ofSeconds(2));
    }

    @Test
    void aChunkedUploadCrossingTheLimitAfterTheResponseStartedEndsInACutResponse() throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", edge.httpPort()), 3000);
            socket.setSoTimeout(30_000);
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> readUntilEnd(socket));
            OutputStream out = socket.getOutputStream();
            byte[] block = new byte[(int) MB];
            try {
                out.write("POST /upload HTTP/1.1\r\nHost: free.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                // 101 MB against Free's 100 MB; stops early once the edge has ended the exchange.
                for (int i = 0; i < 101 && !answer.isDone(); i++) {
                    out.write((Integer.toHexString(block.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(block);
                    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException cutByTheEdge) {
                // expected: the edge resets while the visitor is still uploading
            }
            String response = answer.get(40, TimeUnit.SECONDS);

            assertThat(response).startsWith("HTTP/1.1 200 ").contains("started");
            // A complete chunked response would end with the last chunk; a cut one never carries it.
            assertThat(response).doesNotContain("done ").doesNotEndWith("0\r\n\r\n");
        }
        assertThat(originReceived.get()).isZero();
    }

    /** Everything until the edge closes or resets the connection. */
    private static String readUntilEnd(Socket socket) {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) > 0) {
                received.write(buffer, 0, n);
            }
        } catch (IOException reset) {
            // a reset is one of the two acceptable endings
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }
}
