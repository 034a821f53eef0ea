package zoneplane.dataplane.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.io.File;
import javax.net.ssl.SSLException;

/**
 * Runs TLS handshakes in memory against the https listener's own context before the node reports
 * ready, so that its first visitors do not pay for the JDK's TLS stack starting cold.
 *
 * <p>On a fresh node the first handshake took about 1 s (class loading, key and curve set-up, code
 * not yet compiled), and while the first connections' streams already kept both event loops busy the
 * handshakes queued behind them took 2.2–5.4 s (8 connections × 10 streams, h2load). A client that
 * bounds its run by time loses track of connections still shaking hands at its end: h2load 1.52's
 * {@code -D} never stops a client whose session starts after the duration is over, so it kept loading
 * the node forever, which looked like streams left unanswered. A client connection whose handshake
 * ends after such warm-up waited about 0.1–0.2 s instead.
 */
public final class TlsWarmUp {

    /** Plenty for a TLS 1.3 or 1.2 handshake, which needs two or three flights each way. */
    private static final int MAX_FLIGHTS = 16;

    private TlsWarmUp() {}

    /**
     * Completes {@code rounds} handshakes between {@code server} and a client that trusts
     * {@code certificate} and offers h2 and HTTP/1.1 over ALPN.
     *
     * @return the protocol ALPN chose in the last handshake
     * @throws SSLException when the client context cannot be built or a handshake fails
     */
    public static String handshake(SslContext server, File certificate, int rounds) throws SSLException {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be at least 1, got " + rounds);
        }
        SslContext client = SslContextBuilder.forClient()
                .trustManager(certificate)
                // it trusts exactly the listener's certificate, whatever names that carries
                .endpointIdentificationAlgorithm(null)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                .build();
        String chosen = null;
        for (int i = 0; i < rounds; i++) {
            chosen = once(server, client);
        }
        return chosen;
    }

    private static String once(SslContext serverContext, SslContext clientContext) throws SSLException {
        EmbeddedChannel server = new EmbeddedChannel();
        EmbeddedChannel client = new EmbeddedChannel();
        try {
            SslHandler serverTls = serverContext.newHandler(server.alloc());
            SslHandler clientTls = clientContext.newHandler(client.alloc());
            server.pipeline().addLast(serverTls);
            client.pipeline().addLast(clientTls); // the client's hello is written here
            try {
                for (int flight = 0; flight < MAX_FLIGHTS && !(done(serverTls) && done(clientTls)); flight++) {
                    carry(client, server);
                    carry(server, client);
                }
            } catch (RuntimeException e) { // a failed handshake surfaces from the embedded pipeline
                throw new SSLException("TLS warm-up handshake failed: " + e.getMessage(), e);
            }
            failIfUnfinished(clientTls, "client");
            failIfUnfinished(serverTls, "server");
            return serverTls.applicationProtocol();
        } finally {
            client.finishAndReleaseAll();
            server.finishAndReleaseAll();
        }
    }

    private static boolean done(SslHandler tls) {
        return tls.handshakeFuture().isDone();
    }

    private static void failIfUnfinished(SslHandler tls, String side) throws SSLException {
        if (!tls.handshakeFuture().isSuccess()) {
            Throwable cause = tls.handshakeFuture().cause();
            throw new SSLException("TLS warm-up handshake failed on the " + side + " side"
                    + (cause == null ? ": it did not finish" : ": " + cause), cause);
        }
    }

    /** Moves what {@code from} wrote to the wire into {@code to} as received bytes. */
    private static void carry(EmbeddedChannel from, EmbeddedChannel to) {
        ByteBuf bytes;
        while ((bytes = from.readOutbound()) != null) {
            if (!to.isOpen()) {
                bytes.release();
                continue;
            }
            to.writeInbound(bytes);
        }
        from.checkException();
    }
}
