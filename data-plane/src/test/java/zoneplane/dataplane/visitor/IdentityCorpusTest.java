package zoneplane.dataplane.visitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import zoneplane.dataplane.config.DataPlaneConfigLoader;
import zoneplane.dataplane.setting.PseudoIpv4Transform;
import zoneplane.dataplane.support.ProxyExtension;
import zoneplane.dataplane.support.RecordedRequest;
import zoneplane.dataplane.support.VisitorSocket;
import zoneplane.dataplane.support.Zones;
import zoneplane.model.Setting;
import zoneplane.model.ZoneConfig;

/**
 * The visitor-identity corpus (issue 19 items 6, 7, 8): every visitor address family the edge can be
 * handed (IPv4 and IPv6 TCP peers; IPv4, IPv6 and IPv4-mapped IPv6 sources in PROXY v1 and v2 headers
 * from the trusted balancer) × visitor-supplied spoofs of every identity header (any case, repeated,
 * all at once) × every combination of {@code pseudo_ipv4}, {@code true_client_ip_header} and
 * {@code ip_geolocation}, over real sockets through a real node (both HTTP/1.1 visitor paths) to a
 * recording origin. One assertion per case: the origin sees exactly the edge's identity headers, each
 * once, with the values the edge's rules give (written out here independently of the edge's code, the
 * pseudo address's hash excepted), and nothing a visitor sent.
 *
 * <p>127.0.0.1 is the trusted balancer; the IPv4 peer visitor connects from 127.0.0.2, so it is not.
 */
class IdentityCorpusTest {

    /** Every identity header the origin may get, all only ever written by the edge. */
    private static final List<String> IDENTITY = List.of("cf-connecting-ip", "cf-connecting-ipv6", "cf-ipcountry",
            "cf-pseudo-ipv4", "true-client-ip", "cf-ray", "cf-visitor", "x-forwarded-for", "x-forwarded-proto",
            "x-real-ip");

    // PROXY protocol on a listener is all or nothing, so the TCP-peer families need nodes without it.
    @RegisterExtension
    static ProxyExtension plainDirect = node(true, false);

    @RegisterExtension
    static ProxyExtension plainProxied = node(true, true);

    @RegisterExtension
    static ProxyExtension reactorDirect = node(false, false);

    @RegisterExtension
    static ProxyExtension reactorProxied = node(false, true);

    private static ProxyExtension node(boolean fastPath, boolean proxyProtocol) {
        return ProxyExtension.zones(origin -> zones(origin.url()))
                .env(DataPlaneConfigLoader.PROXY_PROTOCOL, Boolean.toString(proxyProtocol))
                .env(DataPlaneConfigLoader.TRUSTED_PROXIES, "127.0.0.1")
                .env("ZONEPLANE_HTTP1_FAST_PATH", Boolean.toString(fastPath))
                .env("ZONEPLANE_EVENT_LOOPS", "1");
    }

    /** One zone per combination of the three identity settings (Enterprise: True-Client-IP is allowed). */
    record Combo(String pseudo, boolean trueClientIp, boolean geolocation) {
        String host() {
            return "p-" + pseudo.replace('_', '-') + ".t-" + (trueClientIp ? "on" : "off") + ".g-"
                    + (geolocation ? "on" : "off") + ".id.test";
        }
    }

    private static List<Combo> combos() {
        List<Combo> combos = new ArrayList<>();
        for (String pseudo : List.of("off", "add_header", "overwrite_header")) {
            for (boolean tci : new boolean[] {false, true}) {
                for (boolean geo : new boolean[] {false, true}) {
                    combos.add(new Combo(pseudo, tci, geo));
                }
            }
        }
        return combos;
    }

    private static List<ZoneConfig> zones(String origin) {
        return combos().stream().map(c -> Zones.zone(c.host(), origin)
                .set(Setting.PSEUDO_IPV4, c.pseudo())
                .set(Setting.TRUE_CLIENT_IP_HEADER, c.trueClientIp() ? "on" : "off")
                .set(Setting.IP_GEOLOCATION, c.geolocation() ? "on" : "off")
                .build()).toList();
    }

    /**
     * How a visitor reaches the edge and who the edge must take it for.
     *
     * @param from local address of the test's socket; {@code to} the edge's address
     * @param preface bytes before the first request (a PROXY header, for a node with PROXY protocol on), or empty
     * @param visitor the visitor address the edge must decide on (IPv4 for an IPv4-mapped source)
     */
    record Family(String name, String from, String to, byte[] preface, String visitor) {}

    private static List<Family> families() {
        return List.of(
                new Family("IPv4 peer", "127.0.0.2", "127.0.0.1", new byte[0], "127.0.0.2"),
                new Family("IPv6 peer", "::1", "::1", new byte[0], "::1"),
                new Family("PROXY v1 TCP4", "127.0.0.1", "127.0.0.1",
                        v1("TCP4 203.0.113.9 127.0.0.1"), "203.0.113.9"),
                new Family("PROXY v1 TCP6", "127.0.0.1", "127.0.0.1",
                        v1("TCP6 2001:db8::9 2001:db8::1"), "2001:db8::9"),
                new Family("PROXY v1 TCP6 IPv4-mapped", "127.0.0.1", "127.0.0.1",
                        v1("TCP6 ::ffff:8.8.8.8 ::ffff:127.0.0.1"), "8.8.8.8"),
                new Family("PROXY v2 IPv4", "127.0.0.1", "127.0.0.1",
                        v2("198.51.100.7", "127.0.0.1"), "198.51.100.7"),
                new Family("PROXY v2 IPv6", "127.0.0.1", "127.0.0.1",
                        v2("2001:db8:1::5", "2001:db8::1"), "2001:db8:1::5"),
                new Family("PROXY v2 IPv6 IPv4-mapped", "127.0.0.1", "127.0.0.1",
                        v2("::ffff:8.8.4.4", "::ffff:127.0.0.1"), "8.8.4.4"));
    }

    /**
     * What a visitor sends to fake its identity.
     *
     * @param lines header lines (CRLF-terminated) added to the request
     * @param chain the X-Forwarded-For the edge must keep and append to (lines joined with a comma), or null
     */
    record Spoof(String name, String lines, String chain) {}

    private static List<Spoof> spoofs() {
        List<Spoof> spoofs = new ArrayList<>(List.of(
                new Spoof("none", "", null),
                new Spoof("CF-Connecting-IP", "CF-Connecting-IP: 6.6.6.6\r\n", null),
                new Spoof("cf-connecting-ip lower case", "cf-connecting-ip: 6.6.6.6\r\n", null),
                new Spoof("True-Client-IP", "True-Client-IP: 6.6.6.6\r\n", null),
                new Spoof("X-Forwarded-For", "X-Forwarded-For: 6.6.6.6\r\n", "6.6.6.6"),
                new Spoof("X-Forwarded-For twice", "X-Forwarded-For: 6.6.6.6\r\nx-forwarded-for: 7.7.7.7, 8.8.8.8\r\n",
                        "6.6.6.6,7.7.7.7, 8.8.8.8"),
                new Spoof("X-Real-IP", "X-Real-IP: 6.6.6.6\r\n", null),
                new Spoof("CF-IPCountry", "CF-IPCountry: T1\r\n", null),
                new Spoof("Cf-Pseudo-IPv4", "Cf-Pseudo-IPv4: 250.6.6.6\r\n", null),
                new Spoof("CF-Connecting-IPv6", "CF-Connecting-IPv6: 2001:db8::666\r\n", null),
                new Spoof("CF-Ray", "CF-Ray: 0123456789abcdef-EVIL\r\n", null),
                new Spoof("CF-Visitor and X-Forwarded-Proto",
                        "CF-Visitor: {\"scheme\":\"https\"}\r\nX-Forwarded-Proto: https\r\n", null),
                new Spoof("mixed case, repeated", "cF-CoNnEcTiNg-Ip: 6.6.6.6\r\nCF-CONNECTING-IP: 7.7.7.7\r\n"
                        + "TRUE-client-IP: 6.6.6.6\r\nx-REAL-ip: 6.6.6.6\r\nx-real-ip: 7.7.7.7\r\ncf-ray: a\r\nCF-RAY: b\r\n"
                        + "cf-ipcountry: T1\r\nCF-IPCOUNTRY: US\r\ncf-pseudo-ipv4: 250.0.0.1\r\n", null)));
        StringBuilder all = new StringBuilder();
        spoofs.forEach(s -> all.append(s.lines()));
        spoofs.add(new Spoof("all at once", all.toString(), "6.6.6.6,6.6.6.6,7.7.7.7, 8.8.8.8"));
        return spoofs;
    }

    @BeforeAll
    static void geography() throws UnknownHostException {
        for (ProxyExtension edge : List.of(plainDirect, plainProxied, reactorDirect, reactorProxied)) {
            edge.countries().put(InetAddress.getByName("203.0.113.9"), "DE")
                    .put(InetAddress.getByName("198.51.100.7"), "FR")
                    .put(InetAddress.getByName("2001:db8::9"), "JP")
                    .put(InetAddress.getByName("8.8.4.4"), "US");
            // Issue 19 item 6: an IPv4-mapped Tor exit was looked up as IPv6 and missed.
            edge.torExits().add(InetAddress.getByName("8.8.8.8"));
        }
    }

    @Test
    void plainPathOriginSeesOnlyTheEdgesIdentityHeaders() throws IOException {
        run(plainDirect, plainProxied, "plain HTTP/1.1 path");
    }

    @Test
    void reactorNettyPathOriginSeesOnlyTheEdgesIdentityHeaders() throws IOException {
        run(reactorDirect, reactorProxied, "Reactor Netty path");
    }

    private static void run(ProxyExtension direct, ProxyExtension proxied, String path) throws IOException {
        List<String> problems = new ArrayList<>();
        int cases = 0;
        for (Family family : families()) {
            ProxyExtension edge = family.preface().length == 0 ? direct : proxied;
            // One kept-alive connection per family (a PROXY header is per connection), a new one after a failure.
            VisitorSocket socket = connect(edge, family);
            try {
                for (Combo combo : combos()) {
                    for (Spoof spoof : spoofs()) {
                        String target = "/id/" + path.charAt(0) + (cases++);
                        String problem;
                        try {
                            problem = check(edge, socket, family, combo, spoof, target);
                        } catch (IOException e) {
                            problem = e.toString();
                            socket.close();
                            socket = connect(edge, family);
                        }
                        if (problem != null) {
                            problems.add(family.name() + " × " + combo + " × " + spoof.name() + ": " + problem);
                        }
                    }
                }
            } finally {
                socket.close();
            }
        }
        System.out.printf("identity corpus, %s: %d cases (%d families × %d setting combinations × %d spoofs), "
                + "%d problems%n", path, cases, families().size(), combos().size(), spoofs().size(), problems.size());
        Map<String, List<String>> byFamily = new TreeMap<>(problems.stream()
                .collect(Collectors.groupingBy(p -> p.substring(0, p.indexOf(" × ")))));
        byFamily.forEach((family, list) -> System.out.println("  " + list.size() + " problems with " + family
                + ", the first: " + list.get(0)));
        assertThat(cases).isGreaterThanOrEqualTo(500);
        assertThat(problems.subList(0, Math.min(40, problems.size())))
                .as("cases where the origin saw identity headers other than the edge's (first 40 of %d)", problems.size())
                .isEmpty();
    }

    private static VisitorSocket connect(ProxyExtension edge, Family family) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(family.from()), 0));
        socket.connect(new InetSocketAddress(InetAddress.getByName(family.to()), edge.httpPort()), 3000);
        socket.getOutputStream().write(family.preface());
        return new VisitorSocket(socket);
    }

    /** Sends one request; null when the origin saw exactly the expected identity headers, else what was wrong. */
    private static String check(ProxyExtension edge, VisitorSocket socket, Family family, Combo combo, Spoof spoof,
            String target) throws IOException {
        VisitorSocket.Response response = socket.exchange("GET " + target + " HTTP/1.1\r\nHost: " + combo.host()
                + "\r\n" + spoof.lines() + "\r\n");
        if (response.status() != 200) {
            return "answered " + response.status();
        }
        RecordedRequest seen = edge.origin().requests().stream().filter(r -> r.uri().equals(target)).findFirst()
                .orElse(null);
        if (seen == null) {
            return "never reached the origin";
        }
        Map<String, String> expected = expected(family, combo, spoof);
        String ray = response.header("CF-Ray");
        List<String> wrong = new ArrayList<>();
        for (String name : IDENTITY) {
            List<String> got = seen.headers().getAll(name);
            String want = "cf-ray".equals(name) ? ray : expected.get(name);
            List<String> wanted = want == null ? List.of() : List.of(want);
            if (!got.equals(wanted)) {
                wrong.add(name + " " + got + " (expected " + wanted + ")");
            }
        }
        if (ray == null || !ray.matches("[0-9a-f]{16}-TST")) {
            wrong.add("response CF-Ray " + ray);
        }
        return wrong.isEmpty() ? null : String.join("; ", wrong);
    }

    /** The edge's identity headers for this case, by SPEC §5.2/§5.3 and Cloudflare's documentation. */
    private static Map<String, String> expected(Family family, Combo combo, Spoof spoof) throws UnknownHostException {
        InetAddress visitor = InetAddress.getByName(family.visitor());
        boolean ipv6 = family.visitor().contains(":");
        String pseudo = ipv6 ? PseudoIpv4Transform.pseudoIpv4(visitor) : null;
        boolean overwrite = ipv6 && combo.pseudo().equals("overwrite_header");
        String connecting = overwrite ? pseudo : family.visitor();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("cf-connecting-ip", connecting);
        // Appended as Cloudflare does, except pseudo IPv4 overwrite mode, which overwrites it.
        headers.put("x-forwarded-for", overwrite || spoof.chain() == null ? connecting : spoof.chain() + "," + connecting);
        headers.put("x-forwarded-proto", "http");
        headers.put("cf-visitor", "{\"scheme\":\"http\"}");
        if (combo.trueClientIp()) {
            headers.put("true-client-ip", connecting);
        }
        if (combo.geolocation()) {
            headers.put("cf-ipcountry", country(family.visitor()));
        }
        if (ipv6 && !combo.pseudo().equals("off")) {
            headers.put("cf-pseudo-ipv4", pseudo);
        }
        if (overwrite) {
            headers.put("cf-connecting-ipv6", family.visitor());
        }
        return headers;
    }

    private static String country(String visitor) {
        return switch (visitor.toLowerCase(Locale.ROOT)) {
            case "203.0.113.9" -> "DE";
            case "198.51.100.7" -> "FR";
            case "2001:db8::9" -> "JP";
            case "8.8.4.4" -> "US";
            case "8.8.8.8" -> "T1";
            default -> "XX";
        };
    }

    private static byte[] v1(String addresses) {
        return ("PROXY " + addresses + " 55555 80\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** A PROXY v2 header (PROXY command, TCP) for {@code source} → {@code destination}, both of one family. */
    private static byte[] v2(String source, String destination) {
        byte[] from = literal(source);
        byte[] to = literal(destination);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
        bytes.write(0x21); // v2, PROXY
        bytes.write(from.length == 4 ? 0x11 : 0x21); // TCP over IPv4 / IPv6
        int length = from.length * 2 + 4;
        bytes.write(length >> 8);
        bytes.write(length);
        bytes.writeBytes(from);
        bytes.writeBytes(to);
        bytes.writeBytes(new byte[] {(byte) 0xD9, 0x03, 0x00, 0x50});
        return bytes.toByteArray();
    }

    /** The wire bytes of a literal: 16 for any IPv6 form, the IPv4-mapped one included. */
    private static byte[] literal(String text) {
        return IpLiterals.bytes(text);
    }
}
