package zoneplane.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2FrameTypes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import zoneplane.dataplane.support.H2Visitor;
import zoneplane.dataplane.support.ProxyExtension;
import zoneplane.dataplane.support.RecordedRequest;
import zoneplane.dataplane.support.RecordingOrigin;
import zoneplane.dataplane.support.VisitorSocket;
import zoneplane.dataplane.support.Zones;

/**
 * A differential hostile-traffic corpus (issue 19): raw requests from the request-smuggling families
 * (Connection-nominated fields, CL.TE / TE.CL / TE.TE obfuscations, duplicate and malformed lengths,
 * chunk-size, chunk-extension and trailer abuse, header-name and value whitespace and control
 * characters, obs-fold, bare CR and LF, request-line versions and target forms, and HTTP/2 → HTTP/1.1
 * downgrade cases) sent over raw sockets through a real node to a real recording origin. Every case
 * must end one of two ways: refused before the origin (a 4xx/5xx or a closed connection, and the origin
 * saw nothing of it), or exactly one well-formed request at the origin whose Host, framing and identity
 * headers are the edge's own. Either way, the next ordinary request gets its own answer: on the same
 * visitor connection when it stays open, else on a new one; both reuse the pooled origin connection,
 * since the node runs one event loop. Some cases also pin which of the two outcomes is right.
 *
 * <p>The HTTP/1.1 corpus runs against both visitor paths (the plain Netty one and Reactor Netty's).
 */
class HostileFramingCorpusTest {

    private static final String HOST = "t.test";
    /** Spoofed identity headers every HTTP/1.1 case carries: the origin must see the edge's values instead. */
    private static final String SPOOFED = "CF-Connecting-IP: 6.6.6.6\r\nCF-IPCountry: ZZ\r\nCF-Ray: spoofed-ray\r\n"
            + "True-Client-IP: 6.6.6.6\r\nCF-Visitor: {\"scheme\":\"https\"}\r\nCf-Pseudo-IPv4: 6.6.6.6\r\n";

    @RegisterExtension
    static ProxyExtension plain = node(true);

    @RegisterExtension
    static ProxyExtension reactor = node(false);

    private static ProxyExtension node(boolean fastPath) {
        return ProxyExtension.zones(origin -> List.of(Zones.zone(HOST, origin.url()).build(),
                        Zones.zone("other.test", origin.url()).build()))
                .env("ZONEPLANE_HTTP1_FAST_PATH", Boolean.toString(fastPath))
                .env("ZONEPLANE_EVENT_LOOPS", "1")
                .env("ZONEPLANE_REQUEST_BODY_TIMEOUT", "1s")
                .env("ZONEPLANE_REQUEST_HEADER_TIMEOUT", "1s");
    }

    enum Expect { REFUSED, FORWARDED, EITHER }

    /**
     * One raw input. {@code marker} ({@code /k<n>/}) is in every target the case sends, the smuggled
     * request included, so the origin's records can be attributed.
     *
     * @param body the body the origin must receive when the case is forwarded, or null for any
     * @param host the Host the origin must receive when forwarded
     */
    record Case(String family, String name, String marker, String raw, Expect expect, String body, String host) {}

    private static final AtomicInteger ids = new AtomicInteger();

    @Test
    void plainHttp1PathAnswersEveryCaseOneOfTheTwoWays() throws Exception {
        runHttp1(plain, "plain HTTP/1.1 path");
    }

    @Test
    void reactorNettyPathAnswersEveryCaseOneOfTheTwoWays() throws Exception {
        runHttp1(reactor, "Reactor Netty path");
    }

    @Test
    void http2DowngradeCasesAreAnsweredOneOfTheTwoWays() throws Exception {
        List<H2Case> cases = http2Corpus();
        List<String> problems = new ArrayList<>();
        for (H2Case c : cases) {
            checkHttp2(plain, c, problems);
        }
        System.out.printf("hostile framing corpus, HTTP/2 → HTTP/1.1: %d cases, %d problems%n", cases.size(),
                problems.size());
        assertThat(cases).hasSizeGreaterThanOrEqualTo(30);
        assertThat(problems).as("HTTP/2 cases answered neither way").isEmpty();
    }

    private static void runHttp1(ProxyExtension edge, String path) throws Exception {
        List<Case> cases = http1Corpus();
        List<String> problems = new ArrayList<>();
        List<String> slowest = new ArrayList<>();
        for (Case c : cases) {
            long started = System.nanoTime();
            checkHttp1(edge, c, problems);
            long millis = (System.nanoTime() - started) / 1_000_000;
            if (millis > 300) {
                slowest.add(millis + " ms " + c.family() + " [" + c.name() + "]");
            }
        }
        System.out.println("cases over 300 ms: " + slowest);
        List<RecordedRequest> smuggled = edge.origin().requests().stream()
                .filter(r -> r.uri().contains("/smuggled")).toList();
        if (!smuggled.isEmpty()) {
            problems.add("the origin received smuggled requests: " + smuggled.stream().map(RecordedRequest::uri).toList());
        }
        System.out.printf("hostile framing corpus, %s: %d HTTP/1.1 cases, %d problems%n", path, cases.size(),
                problems.size());
        assertThat(cases).hasSizeGreaterThanOrEqualTo(200);
        assertThat(problems).as("cases answered neither way on the " + path).isEmpty();
    }

    // --- the HTTP/1.1 corpus -----------------------------------------------------------------------------

    private static List<Case> http1Corpus() {
        List<Case> cases = new ArrayList<>();
        connectionNominated(cases);
        transferEncodings(cases);
        contentLengths(cases);
        chunkedBodies(cases);
        headerSyntax(cases);
        requestLines(cases);
        return cases;
    }

    /** Every framing, routing and identity field named by Connection, in several spellings, on both framings. */
    private static void connectionNominated(List<Case> cases) {
        String[] fields = {"Content-Length", "Transfer-Encoding", "Host", "CF-Connecting-IP", "CF-IPCountry", "CF-Ray",
            "True-Client-IP", "X-Forwarded-For", "CF-Visitor", "Cf-Pseudo-IPv4", "CDN-Loop", "Content-Type"};
        String[] spellings = {"%s", "close, %s", "keep-alive, %s", "%s,keep-alive", "lower:%s", "upper:%s"};
        for (String field : fields) {
            for (String spelling : spellings) {
                String token = spelling.startsWith("lower:") ? field.toLowerCase(Locale.ROOT)
                        : spelling.startsWith("upper:") ? field.toUpperCase(Locale.ROOT) : String.format(spelling, field);
                for (boolean chunked : new boolean[] {false, true}) {
                    String m = marker();
                    String inner = smuggled(m);
                    String framing = chunked
                            ? "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(inner.length()) + "\r\n" + inner
                                    + "\r\n0\r\n\r\n"
                            : "Content-Length: " + inner.length() + "\r\n\r\n" + inner;
                    String raw = "POST " + m + "outer HTTP/1.1\r\nHost: " + HOST + "\r\nContent-Type: text/plain\r\n"
                            + SPOOFED + "Connection: " + token + "\r\n" + framing;
                    cases.add(new Case("connection-nominated", token + (chunked ? " (chunked)" : " (length)"), m, raw,
                            Expect.FORWARDED, inner, HOST));
                }
            }
        }
    }

    /** TE.TE and CL.TE: obfuscated Transfer-Encoding lines, with and without a Content-Length, on 1.1 and 1.0. */
    private static void transferEncodings(List<Case> cases) {
        String[] lines = {
            "Transfer-Encoding: chunked", "Transfer-Encoding: xchunked", "Transfer-Encoding:  chunked",
            "Transfer-Encoding: chunked, identity", "Transfer-Encoding: identity, chunked", "Transfer-Encoding: Chunked",
            "Transfer-Encoding: chunked\t", "Transfer-Encoding: gzip, chunked",
            "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked", "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity",
            "Transfer-Encoding : chunked", "Transfer-Encoding\t: chunked", "Transfer-Encoding:\u000bchunked",
            "Transfer-Encoding:\r\n chunked", "Transfer_Encoding: chunked", "Transfer-Encoding: chunk",
            "Transfer-Encoding: \"chunked\"", "Transfer-Encoding: chunked;q=1", "X-Pad: y\r\n Transfer-Encoding: chunked",
            "Transfer-Encoding: chunked, chunked", "Transfer-Encoding: \u0000chunked", "Transfer-Encoding: cHuNkEd",
        };
        for (String te : lines) {
            // Lines that are not a Transfer-Encoding field at all (another name, or folded into another field).
            boolean notTe = te.startsWith("Transfer_Encoding") || te.startsWith("X-Pad");
            boolean plainChunked = te.equals("Transfer-Encoding: chunked") || te.equals("Transfer-Encoding: Chunked")
                    || te.equals("Transfer-Encoding:  chunked") || te.equals("Transfer-Encoding: cHuNkEd");
            for (String version : new String[] {"HTTP/1.1", "HTTP/1.0"}) {
                for (boolean withLength : new boolean[] {false, true}) {
                    if (notTe && !withLength) {
                        continue; // nothing would frame the chunked text: it would be read as a second request
                    }
                    String m = marker();
                    String chunkedBody = "5\r\nhello\r\n0\r\n\r\n";
                    String body = withLength ? chunkedBody + smuggled(m) : chunkedBody;
                    String raw = "POST " + m + "te " + version + "\r\nHost: " + HOST + "\r\n" + SPOOFED + te + "\r\n"
                            + (withLength ? "Content-Length: " + body.length() + "\r\n" : "") + "\r\n" + body;
                    Expect expect;
                    String expectedBody = null;
                    if (notTe) {
                        expect = Expect.EITHER; // the Content-Length frames the whole text as the body
                        expectedBody = body;
                    } else if (withLength || version.equals("HTTP/1.0")) {
                        expect = Expect.REFUSED;
                    } else {
                        expect = plainChunked ? Expect.FORWARDED : Expect.EITHER;
                        expectedBody = "hello";
                    }
                    cases.add(new Case("transfer-encoding", visible(te) + " " + version + (withLength ? " +CL" : ""), m,
                            raw, expect, expectedBody, HOST));
                }
            }
        }
        // The obfuscations without a Content-Length, each followed by nothing the edge could read as a request.
        String[] refusedAlone = {"Transfer-Encoding: xchunked", "Transfer-Encoding: chunked, identity",
            "Transfer-Encoding: gzip, chunked", "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked",
            "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity", "Transfer-Encoding : chunked",
            "Transfer-Encoding\t: chunked", "Transfer-Encoding:\u000bchunked", "Transfer-Encoding: chunk",
            "Transfer-Encoding: \"chunked\"", "Transfer-Encoding: chunked;q=1", "Transfer-Encoding: chunked, chunked",
            "Transfer-Encoding: identity, chunked", "Transfer-Encoding: \u0000chunked"};
        for (String te : refusedAlone) {
            String m = marker();
            String raw = "POST " + m + "te HTTP/1.1\r\nHost: " + HOST + "\r\n" + SPOOFED + te + "\r\n\r\n";
            cases.add(new Case("transfer-encoding", te.replace("\r\n", "⏎") + " alone", m, raw, Expect.REFUSED, null,
                    HOST));
        }
    }

    /** CL.CL: malformed, listed and repeated Content-Length values on 1.1 and 1.0. */
    private static void contentLengths(List<Case> cases) {
        String[][] values = {
            {"5", "F"}, {"05", "F"}, {" 5", "F"}, {"5 ", "F"}, {"+5", "R"}, {"5, 5", "R"}, {"5\r\nContent-Length: 5", "R"},
            {"5\r\nContent-Length: 6", "R"}, {"0x5", "R"}, {"-5", "R"}, {"5 5", "R"}, {"99999999999999999999", "R"},
            {"", "R"}, {"5a", "R"}, {"1e1", "R"}, {"5\u000b", "R"}, {"5\r\n 0", "R"}, {"5.0", "R"}, {"\u0665", "R"},
        };
        for (String[] value : values) {
            for (String version : new String[] {"HTTP/1.1", "HTTP/1.0"}) {
                String m = marker();
                String raw = "POST " + m + "cl " + version + "\r\nHost: " + HOST + "\r\n" + SPOOFED + "Content-Length: "
                        + value[0] + "\r\n\r\nhello";
                Expect expect = value[1].equals("F") ? Expect.FORWARDED : Expect.REFUSED;
                if (version.equals("HTTP/1.0") && value[0].contains("\r\nContent-Length")) {
                    // Netty keeps the first of repeated lengths on HTTP/1.0; the edge frames the body by it
                    expect = Expect.EITHER;
                }
                cases.add(new Case("content-length", "'" + visible(value[0]) + "' " + version, m, raw, expect, "hello",
                        HOST));
            }
        }
    }

    /** Chunk-size, chunk-extension, terminator and trailer abuse. */
    private static void chunkedBodies(List<Case> cases) {
        String[][] bodies = {
            {"5x\r\nhello\r\n0\r\n\r\n", "R"}, {"fffffffffffffffff1\r\nhello\r\n0\r\n\r\n", "R"},
            {"ffffffffffffffff\r\nhello\r\n0\r\n\r\n", "R"}, {"-5\r\nhello\r\n0\r\n\r\n", "R"},
            {"0x5\r\nhello\r\n0\r\n\r\n", "R"}, {"\r\nhello\r\n0\r\n\r\n", "R"}, {"+5\r\nhello\r\n0\r\n\r\n", "R"},
            {"5;a=\"b\r\nhello\r\n0\r\n\r\n", "R"}, {"5;a=b\r\nhello\r\n0\r\n\r\n", "F"},
            {"5;a=\"b c\"\r\nhello\r\n0\r\n\r\n", "F"}, {"5 ;a=b\r\nhello\r\n0\r\n\r\n", "E"},
            {"5\t;a=b\r\nhello\r\n0\r\n\r\n", "E"}, {"5\u0000\r\nhello\r\n0\r\n\r\n", "E"},
            {"5\r\nhelloX0\r\n\r\n", "R"}, {"5\r\nhello\n0\r\n\r\n", "R"}, {"5\nhello\r\n0\r\n\r\n", "R"},
            {"5\r\nhello\r\n0\r\nbad trailer\r\n\r\n", "R"}, {"5\r\nhello\r\n0\r\nX : y\r\n\r\n", "R"},
            {"5\r\nhello\r\n0\r\nContent-Length: 99\r\n\r\n", "E"},
            {"5\r\nhello\r\n0\r\nTransfer-Encoding: chunked\r\n\r\n", "E"}, {"5\r\nhello\r\n0\r\nX-T: y\r\n\r\n", "F"},
            {"3\r\nhello\r\n0\r\n\r\n", "R"}, {"7\r\nhello\r\n0\r\n\r\n", "R"}, {"5\r\nhello\r\n0\r\n", "R"},
            {"5\r\nhello\r\n", "R"}, {"05\r\nhello\r\n0\r\n\r\n", "F"}, {"5\r\nhello\r\n00\r\n\r\n", "F"},
            {"5\r\nhello\r\n0;ext=1\r\n\r\n", "F"}, {"5\r\r\nhello\r\n0\r\n\r\n", "E"}, {" 5\r\nhello\r\n0\r\n\r\n", "E"},
            {"5\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n", "R"}, {"2\r\nhe\r\n3\r\nllo\r\n0\r\n\r\n", "F"},
            {"5\r\nhello\r\n0\r\nX-T: y\r\n z\r\n\r\n", "E"}, {"5\r\nhello\r\n0\r\nX-T: a\u0000b\r\n\r\n", "R"},
        };
        for (String[] body : bodies) {
            String m = marker();
            String raw = "POST " + m + "chunked HTTP/1.1\r\nHost: " + HOST + "\r\n" + SPOOFED
                    + "Transfer-Encoding: chunked\r\n\r\n" + body[0];
            Expect expect = switch (body[1]) {
                case "F" -> Expect.FORWARDED;
                case "R" -> Expect.REFUSED;
                default -> Expect.EITHER;
            };
            cases.add(new Case("chunked-body", visible(body[0]), m, raw, expect, "hello", HOST));
        }
    }

    /** Header-name and value whitespace and control characters, obs-fold, bare CR and LF, Host variants. */
    private static void headerSyntax(List<Case> cases) {
        String[][] heads = {
            {"Host : t.test", "R"}, {"Host\t: t.test", "R"}, {"Host: t.test\r\nX-A : b", "R"}, {" Host: t.test", "R"},
            {"Host: t.test\r\nX-A: a\r\n b", "E"}, {"Host: t.test\r\nX-A: a\r\n\tb", "E"},
            {"Host: t.test\r\n evil.test", "R"}, {"Host: t.test\r\nContent-Length: 0\r\n 5", "R"},
            {"Host: t.test\r\nX-A: a\u0000b", "R"}, {"Host: t.test\r\nX-A: a\rb", "R"}, {"Host: t.test\r\nX-A: a\u000bb", "R"},
            {"Host: t.test\r\nX-A: a\u000cb", "R"}, {"Host: t.test\r\nX-A: a\u007fb", "E"}, {"Host: t.test\r\nX-A: caf\u00e9", "E"},
            {"Host: t.test\r\nX\u0001A: b", "R"}, {"Host: t.test\r\nX A: b", "R"}, {"Host: t.test\r\nX(A): b", "R"},
            {"Host: t.test\r\nX@A: b", "R"}, {"Host: t.test\r\nX\u00e9: b", "R"}, {"Host: t.test\r\n: b", "R"},
            {"Host: t.test\r\nNoColon", "R"}, {"Host: t.test\u0000", "R"}, {"Host: t.test:80", "F"},
            {"Host: T.TEST.", "F"}, {"Host: [::1]", "R"}, {"Host:", "R"}, {"Host: t.test\r\nHost: t.test", "R"},
            {"Host: t.test\r\nHost: other.test", "R"}, {"Host: t.test, other.test", "R"}, {"Host: t.test/x", "R"},
            {"Host: user@t.test", "R"}, {"Host: t.test\r\nX-A:b", "F"}, {"Host:t.test", "F"},
            {"Host: t.test \t", "F"}, {"Host: t.test\r\nX_Under: b", "F"}, {"X-A: b", "R"},
        };
        for (String[] head : heads) {
            String m = marker();
            String raw = "GET " + m + "h HTTP/1.1\r\n" + head[0] + "\r\n" + SPOOFED + "\r\n";
            Expect expect = head[1].equals("F") ? Expect.FORWARDED : head[1].equals("R") ? Expect.REFUSED : Expect.EITHER;
            String expectedHost = head[0].startsWith("Host: t.test:80") ? "t.test:80"
                    : head[0].startsWith("Host: T.TEST.") ? "T.TEST." : HOST;
            cases.add(new Case("header-syntax", visible(head[0]), m, raw, expect, "", expectedHost));
        }
        // Whole heads with bare line feeds or bare carriage returns.
        String[] lineEnds = {"\n", "\r", "\n\r"};
        for (String end : lineEnds) {
            String m = marker();
            String raw = "GET " + m + "eol HTTP/1.1" + end + "Host: " + HOST + end + end;
            cases.add(new Case("header-syntax", "line end " + visible(end), m, raw, Expect.REFUSED, "", HOST));
            String m2 = marker();
            String mixed = "GET " + m2 + "eol HTTP/1.1\r\nHost: " + HOST + "\r\nX-A: b" + end + "\r\n";
            cases.add(new Case("header-syntax", "one header line ending " + visible(end), m2, mixed, Expect.REFUSED, "",
                    HOST));
        }
    }

    /** Versions, target forms and request-line lengths. */
    private static void requestLines(List<Case> cases) {
        String[][] versions = {{"HTTP/2.0", "R"}, {"HTTP/1.2", "R"}, {"HTTP/9.9", "R"}, {"HTTP/3.0", "R"},
            {"HTTP/0.9", "R"}, {"HTTP/1", "R"}, {"HTTP/1.1.1", "R"}, {"HTTP/01.1", "E"}, {"HTTP/1.1 ", "E"},
            {"http/1.1", "E"}, {"HTTX/1.1", "R"}, {"HTTP/1.10", "R"}, {"HTTP/2", "R"}};
        for (String[] version : versions) {
            String m = marker();
            String raw = "GET " + m + "v " + version[0] + "\r\nHost: " + HOST + "\r\n" + SPOOFED + "\r\n";
            cases.add(new Case("request-line", "version " + version[0], m, raw,
                    version[1].equals("R") ? Expect.REFUSED : Expect.EITHER, "", HOST));
        }
        String m0 = marker();
        cases.add(new Case("request-line", "HTTP/0.9 simple request", m0, "GET " + m0 + "nine\r\n", Expect.REFUSED, "",
                HOST));
        // [target, Host header lines, expectation, expected Host at the origin]
        String[][] targets = {
            {"http://t.test%sabs", "Host: other.test", "F", HOST}, {"http://t.test%sabs", "", "F", HOST},
            {"HTTP://T.TEST%sabs", "Host: t.test", "F", "T.TEST"}, {"https://t.test%sabs", "Host: t.test", "F", HOST},
            {"http://t.test:8080%sabs", "Host: t.test", "F", "t.test:8080"},
            {"http://t.test?q=%s", "Host: t.test", "F", HOST}, {"http://t.test%sabs?x=1#f", "Host: t.test", "E", HOST},
            {"http://user@t.test%sabs", "Host: t.test", "R", HOST}, {"http://%sabs", "Host: t.test", "R", HOST},
            {"ftp://t.test%sabs", "Host: t.test", "R", HOST}, {"http://unknown.test%sabs", "Host: t.test", "R", HOST},
            {"http://t.test%sabs", "Host: t.test\r\nHost: t.test", "R", HOST},
            {"http://t.te st%sabs", "Host: t.test", "R", HOST}, {"t.test%sabs", "Host: t.test", "R", HOST},
            {"%sa b", "Host: t.test", "R", HOST}, {"%sa\u0001b", "Host: t.test", "R", HOST},
            {"%sa\u00e9", "Host: t.test", "R", HOST}, {"%sa\u007fb", "Host: t.test", "R", HOST},
            {"%sa#frag", "Host: t.test", "E", HOST}, {"%s" + "a".repeat(7900), "Host: t.test", "F", HOST},
            {"%s" + "a".repeat(8300), "Host: t.test", "R", HOST}, {"http://t.test%sabs", "Host: t.test/evil", "R", HOST},
            {"http://[::1]%sabs", "Host: t.test", "R", HOST}, {"//t.test%sabs", "Host: t.test", "F", HOST},
        };
        for (String[] target : targets) {
            String m = marker();
            String t = String.format(target[0], m);
            String raw = "GET " + t + " HTTP/1.1\r\n" + (target[1].isEmpty() ? "" : target[1] + "\r\n") + SPOOFED + "\r\n";
            Expect expect = target[2].equals("F") ? Expect.FORWARDED : target[2].equals("R") ? Expect.REFUSED : Expect.EITHER;
            cases.add(new Case("request-line", "target " + visible(t.length() > 60 ? t.substring(0, 60) + "…" : t)
                    + " " + visible(target[1]), m, raw, expect, "", target[3]));
        }
        String[][] others = {{"OPTIONS * HTTP/1.1", "R"}, {"CONNECT t.test:443 HTTP/1.1", "R"},
            {"G@T %s HTTP/1.1", "R"}, {"GET\t%s HTTP/1.1", "E"}, {"GET  %s HTTP/1.1", "E"}, {"get %s HTTP/1.1", "E"},
            {" GET %s HTTP/1.1", "E"}, {"GET %s  HTTP/1.1", "E"}};
        for (String[] line : others) {
            String m = marker();
            String raw = String.format(line[0], m) + "\r\nHost: " + HOST + "\r\n" + SPOOFED + "\r\n";
            cases.add(new Case("request-line", visible(line[0]), m, raw,
                    line[1].equals("R") ? Expect.REFUSED : Expect.EITHER, "", HOST));
        }
    }

    private static void checkHttp1(ProxyExtension edge, Case c, List<String> problems) throws IOException {
        String label = c.family() + " [" + c.name() + "]";
        int before = problems.size();
        VisitorSocket.Response response = null;
        boolean closed = false;
        try (VisitorSocket visitor = new VisitorSocket(edge.httpPort())) {
            visitor.send(c.raw());
            try {
                response = visitor.read();
            } catch (SocketTimeoutException e) {
                problems.add(label + ": no answer and the connection stayed open");
                return;
            } catch (IOException e) {
                closed = true;
            }
            List<RecordedRequest> seen = seenBy(edge, c.marker());
            int status = response == null ? -1 : response.status();
            boolean forwarded = status >= 200 && status < 300;
            if (!forwarded && status != -1 && status < 400) {
                problems.add(label + ": answered " + status);
                return;
            }
            if (forwarded) {
                if (c.expect() == Expect.REFUSED) {
                    problems.add(label + ": forwarded, should be refused");
                }
                checkForwarded(label, c, response, seen, problems);
            } else {
                if (c.expect() == Expect.FORWARDED) {
                    problems.add(label + ": refused (" + (closed ? "closed" : status) + "), should be forwarded");
                }
                if (!seen.isEmpty()) {
                    problems.add(label + ": refused, yet the origin received " + uris(seen));
                }
            }
            boolean open = response != null && !"close".equalsIgnoreCase(response.header("Connection"))
                    && !c.raw().contains(" HTTP/1.0\r\n");
            if (open && problems.size() == before) {
                // the node's one event loop has one pool: this reuses the case's origin connection too
                followUp(label, visitor, c.marker() + "next", problems);
                return;
            }
        }
        try (VisitorSocket fresh = new VisitorSocket(edge.httpPort())) {
            followUp(label, fresh, c.marker() + "fresh", problems);
        }
    }

    private static void checkForwarded(String label, Case c, VisitorSocket.Response response, List<RecordedRequest> seen,
            List<String> problems) {
        if (seen.size() != 1) {
            problems.add(label + ": forwarded, and the origin received " + seen.size() + " requests: " + uris(seen));
            return;
        }
        RecordedRequest at = seen.get(0);
        String where = label + ": at the origin, ";
        if (!at.uri().startsWith("/") || !response.header(RecordingOrigin.ORIGIN_URI).equals(at.uri())) {
            problems.add(where + "target " + at.uri() + ", answered " + response.header(RecordingOrigin.ORIGIN_URI));
        }
        if (!c.host().equalsIgnoreCase(at.header("Host")) || at.headers().getAll("Host").size() != 1) {
            problems.add(where + "Host " + at.headers().getAll("Host") + " instead of " + c.host());
        }
        if (c.body() != null && !c.body().equals(new String(at.body(), StandardCharsets.ISO_8859_1))) {
            problems.add(where + "body '" + visible(new String(at.body(), StandardCharsets.ISO_8859_1)) + "' instead of '"
                    + visible(c.body()) + "'");
        }
        String length = at.header("Content-Length");
        String coding = at.header("Transfer-Encoding");
        if (length != null && coding != null) {
            problems.add(where + "both Content-Length and Transfer-Encoding");
        }
        if (length != null && !length.equals(Integer.toString(at.bodyLength()))) {
            problems.add(where + "Content-Length " + length + " for a body of " + at.bodyLength());
        }
        identity(where, at, response.header("CF-Ray"), problems);
    }

    /** The identity headers the origin saw are the edge's own, never the visitor's spoofed copies. */
    private static void identity(String where, RecordedRequest at, String ray, List<String> problems) {
        if (!"127.0.0.1".equals(at.header("CF-Connecting-IP")) || at.headers().getAll("CF-Connecting-IP").size() != 1) {
            problems.add(where + "CF-Connecting-IP " + at.headers().getAll("CF-Connecting-IP"));
        }
        if (!"127.0.0.1".equals(at.header("X-Forwarded-For"))) {
            problems.add(where + "X-Forwarded-For " + at.headers().getAll("X-Forwarded-For"));
        }
        if (ray == null || !ray.equals(at.header("CF-Ray")) || at.headers().getAll("CF-Ray").size() != 1) {
            problems.add(where + "CF-Ray " + at.headers().getAll("CF-Ray") + ", visitor got " + ray);
        }
        if ("ZZ".equals(at.header("CF-IPCountry")) || at.headers().getAll("CF-IPCountry").size() > 1) {
            problems.add(where + "CF-IPCountry " + at.headers().getAll("CF-IPCountry"));
        }
        if (at.header("True-Client-IP") != null || at.header("Cf-Pseudo-IPv4") != null) {
            problems.add(where + "True-Client-IP/Cf-Pseudo-IPv4 reached the origin");
        }
        if (!"{\"scheme\":\"http\"}".equals(at.header("CF-Visitor"))) {
            problems.add(where + "CF-Visitor " + at.headers().getAll("CF-Visitor"));
        }
    }

    /** An ordinary request on {@code visitor} must get its own answer (not one queued for an earlier request). */
    private static void followUp(String label, VisitorSocket visitor, String target, List<String> problems)
            throws IOException {
        VisitorSocket.Response answer;
        try {
            answer = visitor.exchange("GET " + target + " HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n");
        } catch (IOException e) {
            problems.add(label + ": the next request on " + target + " got no answer: " + e.getMessage());
            return;
        }
        if (answer.status() != 200 || !target.equals(answer.header(RecordingOrigin.ORIGIN_URI))) {
            problems.add(label + ": the next request " + target + " got " + answer.status() + " for "
                    + answer.header(RecordingOrigin.ORIGIN_URI));
        }
    }

    // --- the HTTP/2 corpus --------------------------------------------------------------------------------

    /**
     * One HTTP/2 request as header fields in order (pseudo-header fields where the case puts them) and
     * DATA frames. Encoded by hand, as HPACK literals, so that nothing validates or reorders them first.
     */
    record H2Case(String name, String marker, List<String[]> fields, List<String> data, Expect expect, String body,
            boolean emptyDeclaredRequestMayPass) {

        H2Case(String name, String marker, List<String[]> fields, List<String> data, Expect expect, String body) {
            this(name, marker, fields, data, expect, body, false);
        }
    }

    private static List<H2Case> http2Corpus() {
        List<H2Case> cases = new ArrayList<>();
        // [extra field name, value, expectation]
        String[][] extras = {
            {"transfer-encoding", "chunked", "R"}, {"connection", "keep-alive", "R"}, {"keep-alive", "timeout=5", "R"},
            {"proxy-connection", "keep-alive", "R"}, {"upgrade", "h2c", "R"}, {"te", "gzip", "R"}, {"te", "trailers", "F"},
            {"x-a", "a\rb", "R"}, {"x-a", "a\nb", "R"}, {"x-a", "a\u0000b", "R"}, {"x-a", " a", "R"}, {"x-a", "a ", "R"},
            {"x-a", "a\r\nx-b: c", "R"}, {"X-A", "b", "R"}, {"Host", "t.test", "R"}, {"x a", "b", "R"}, {"x:a", "b", "R"},
            {"", "b", "R"}, {"host", "other.test", "R"}, {"host", "t.test", "E"}, {"content-length", "abc", "R"},
            {"content-length", "-1", "R"}, {"cf-connecting-ip", "6.6.6.6", "F"}, {"cf-ray", "spoofed", "F"},
            {"true-client-ip", "6.6.6.6", "F"}, {"cf-ipcountry", "ZZ", "F"}, {"x-a", "caf\u00e9", "E"},
            {"x-a", "a\tb", "E"}, {"x-a", "\u000bb", "E"},
        };
        for (String[] extra : extras) {
            String m = marker();
            List<String[]> fields = pseudo("GET", HOST, m + "h2");
            fields.add(new String[] {extra[0], extra[1]});
            cases.add(new H2Case(extra[0] + ": " + visible(extra[1]), m, fields, List.of(), expect(extra[2]), ""));
        }
        // Content-Length against the DATA that follows.
        String[][] lengths = {{"5", "hello", "F"}, {"5", "hel", "R"}, {"3", "hello", "R"}, {"5", "hel|lo", "F"},
            {"4", "hel|lo", "R"}, {"0", "hello", "E"}, {"05", "hello", "E"}};
        for (String[] length : lengths) {
            String m = marker();
            List<String[]> fields = pseudo("POST", HOST, m + "h2cl");
            fields.add(new String[] {"content-length", length[0]});
            // content-length: 0 frames a whole request by its head alone: the edge may forward that empty request,
            // and even answer it, before the DATA that breaks it arrives (as an HTTP/1.1 "Content-Length: 0" followed
            // by junk). Either way the origin sees at most that one empty request, never the DATA.
            boolean declaredEmpty = length[0].equals("0");
            cases.add(new H2Case("content-length " + length[0] + " with DATA " + length[1], m, fields,
                    List.of(length[1].split("\\|")), expect(length[2]), declaredEmpty ? "" : "hello", declaredEmpty));
        }
        String m1 = marker();
        List<String[]> noLength = pseudo("POST", HOST, m1 + "h2nolength");
        cases.add(new H2Case("no content-length, two DATA frames", m1, noLength, List.of("hel", "lo"), Expect.FORWARDED,
                "hello"));
        // Pseudo-header abuse.
        String m = marker();
        cases.add(new H2Case(":path twice", m, List.of(f(":method", "GET"), f(":scheme", "https"), f(":authority", HOST),
                f(":path", m + "a"), f(":path", m + "b")), List.of(), Expect.REFUSED, ""));
        m = marker();
        cases.add(new H2Case("no :path", m, List.of(f(":method", "GET"), f(":scheme", "https"), f(":authority", HOST),
                f("x-m", m)), List.of(), Expect.REFUSED, ""));
        m = marker();
        cases.add(new H2Case("no :method", m, List.of(f(":scheme", "https"), f(":authority", HOST), f(":path", m + "a")),
                List.of(), Expect.REFUSED, ""));
        m = marker();
        cases.add(new H2Case("no :method with a body", m, List.of(f(":scheme", "https"), f(":authority", HOST),
                f(":path", m + "a")), List.of("hello"), Expect.REFUSED, ""));
        m = marker();
        cases.add(new H2Case("pseudo after regular", m, List.of(f(":method", "GET"), f(":scheme", "https"),
                f("x-a", "b"), f(":authority", HOST), f(":path", m + "a")), List.of(), Expect.REFUSED, ""));
        m = marker();
        cases.add(new H2Case("unknown pseudo", m, List.of(f(":method", "GET"), f(":scheme", "https"),
                f(":authority", HOST), f(":path", m + "a"), f(":foo", "bar")), List.of(), Expect.REFUSED, ""));
        m = marker();
        cases.add(new H2Case(":status in a request", m, List.of(f(":method", "GET"), f(":scheme", "https"),
                f(":authority", HOST), f(":path", m + "a"), f(":status", "200")), List.of(), Expect.REFUSED, ""));
        String[][] paths = {{"http://t.test%sa", "R"}, {"*", "R"}, {"", "R"}, {"a%s", "R"}, {"%sa b", "R"},
            {"%sa\u0001b", "R"}, {"%sa\u00e9", "R"}};
        for (String[] path : paths) {
            m = marker();
            cases.add(new H2Case(":path " + visible(String.format(path[0], m)), m, pseudo("GET", HOST,
                    String.format(path[0], m)), List.of(), expect(path[1]), ""));
        }
        String[][] authorities = {{"user@t.test", "R"}, {"t.test/x", "R"}, {"", "R"}, {"T.TEST", "F"},
            {"unknown.test", "R"}};
        for (String[] authority : authorities) {
            m = marker();
            cases.add(new H2Case(":authority " + authority[0], m, pseudo("GET", authority[0], m + "auth"), List.of(),
                    expect(authority[1]), ""));
        }
        m = marker();
        cases.add(new H2Case("host without :authority", m, List.of(f(":method", "GET"), f(":scheme", "https"),
                f(":path", m + "a"), f("host", HOST)), List.of(), Expect.EITHER, ""));
        return cases;
    }

    private static List<String[]> pseudo(String method, String authority, String path) {
        List<String[]> fields = new ArrayList<>();
        fields.add(f(":method", method));
        fields.add(f(":scheme", "https"));
        fields.add(f(":authority", authority));
        fields.add(f(":path", path));
        return fields;
    }

    private static String[] f(String name, String value) {
        return new String[] {name, value};
    }

    private static Expect expect(String code) {
        return code.equals("F") ? Expect.FORWARDED : code.equals("R") ? Expect.REFUSED : Expect.EITHER;
    }

    private static void checkHttp2(ProxyExtension edge, H2Case c, List<String> problems) throws IOException {
        String label = "h2 [" + c.name() + "]";
        try (H2Visitor visitor = H2Visitor.cleartext(edge.httpPort()).preface()) {
            boolean endOnHeaders = c.data().isEmpty();
            visitor.frame(Http2FrameTypes.HEADERS, Http2Flags.END_HEADERS | (endOnHeaders ? Http2Flags.END_STREAM : 0),
                    1, hpackLiterals(c.fields()));
            for (int i = 0; i < c.data().size(); i++) {
                visitor.data(1, c.data().get(i), i == c.data().size() - 1);
            }
            H2Visitor.Stream stream = visitor.await(1, Duration.ofSeconds(4));
            List<RecordedRequest> seen = seenBy(edge, c.marker());
            int status = stream.status();
            boolean forwarded = status >= 200 && status < 300 && stream.resetCode == null;
            if (forwarded) {
                if (c.expect() == Expect.REFUSED) {
                    problems.add(label + ": forwarded, should be refused");
                }
                if (seen.size() != 1) {
                    problems.add(label + ": forwarded, and the origin received " + uris(seen));
                } else {
                    RecordedRequest at = seen.get(0);
                    if (!HOST.equalsIgnoreCase(at.header("Host")) || at.headers().getAll("Host").size() != 1) {
                        problems.add(label + ": at the origin, Host " + at.headers().getAll("Host"));
                    }
                    if (!c.body().equals(new String(at.body(), StandardCharsets.UTF_8))) {
                        problems.add(label + ": at the origin, body '" + new String(at.body(), StandardCharsets.UTF_8) + "'");
                    }
                    if (at.header("Transfer-Encoding") != null && at.header("Content-Length") != null) {
                        problems.add(label + ": at the origin, both Content-Length and Transfer-Encoding");
                    }
                    String ray = stream.headers.get("cf-ray") == null ? null : stream.headers.get("cf-ray").toString();
                    identity(label + ": at the origin, ", at, ray, problems);
                }
            } else {
                if (status == -1 && stream.resetCode == null && !visitor.closed() && visitor.goAwayCode() == null) {
                    problems.add(label + ": no answer");
                    return;
                }
                if (c.expect() == Expect.FORWARDED) {
                    problems.add(label + ": refused (status " + status + ", reset " + stream.resetCode + ", goaway "
                            + visitor.goAwayCode() + "), should be forwarded");
                }
                boolean declared = c.emptyDeclaredRequestMayPass() && seen.size() == 1 && seen.get(0).bodyLength() == 0;
                if (!seen.isEmpty() && !declared) {
                    problems.add(label + ": refused, yet the origin received " + uris(seen));
                }
            }
            if (!visitor.closed() && visitor.goAwayCode() == null) {
                String next = c.marker() + "next";
                visitor.frame(Http2FrameTypes.HEADERS, Http2Flags.END_HEADERS | Http2Flags.END_STREAM, 3,
                        hpackLiterals(pseudo("GET", HOST, next)));
                H2Visitor.Stream after = visitor.await(3, Duration.ofSeconds(4));
                CharSequence uri = after.headers == null ? null : after.headers.get("x-origin-uri");
                if (after.status() != 200 || uri == null || !next.equals(uri.toString())) {
                    problems.add(label + ": the next stream got " + after.status() + " for " + uri);
                }
            }
        }
        try (VisitorSocket fresh = new VisitorSocket(edge.httpPort())) {
            followUp(label, fresh, c.marker() + "fresh", problems);
        }
    }

    /** HPACK "literal without indexing, new name" representations, no Huffman coding (RFC 7541 §6.2.2). */
    private static byte[] hpackLiterals(List<String[]> fields) {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        for (String[] field : fields) {
            block.write(0x00);
            string(block, field[0]);
            string(block, field[1]);
        }
        return block.toByteArray();
    }

    private static void string(ByteArrayOutputStream block, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        int length = bytes.length;
        if (length < 127) {
            block.write(length);
        } else {
            block.write(127);
            length -= 127;
            while (length >= 128) {
                block.write((length & 0x7f) | 0x80);
                length >>>= 7;
            }
            block.write(length);
        }
        block.write(bytes, 0, bytes.length);
    }

    // --- helpers ------------------------------------------------------------------------------------------

    private static String marker() {
        return "/k" + ids.incrementAndGet() + "/";
    }

    private static String smuggled(String marker) {
        return "GET " + marker + "smuggled HTTP/1.1\r\nHost: " + HOST + "\r\nCF-Connecting-IP: 6.6.6.6\r\n\r\n";
    }

    /** What the origin received for a case: its requests, not the follow-ups'. */
    private static List<RecordedRequest> seenBy(ProxyExtension edge, String marker) {
        return edge.origin().requests().stream()
                .filter(r -> r.uri().contains(marker) && !r.uri().endsWith(marker + "next")
                        && !r.uri().endsWith(marker + "fresh"))
                .toList();
    }

    private static List<String> uris(List<RecordedRequest> requests) {
        return requests.stream().map(r -> r.method() + " " + visible(r.uri())).toList();
    }

    private static String visible(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '\r') {
                out.append("\\r");
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c < 0x20 || c >= 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
