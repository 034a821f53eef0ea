package zoneplane.dataplane.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * A Logpush HTTP destination written for the tests: takes each POST, gunzips it (refusing one without
 * {@code Content-Encoding: gzip}), keeps its headers and body, and parses the body as NDJSON into records
 * (field name → String or Long, in the order written). {@link #mode} makes it fail: {@code STORE_THEN_FAIL}
 * keeps the batch and answers 500 (the node cannot know it arrived: a retry duplicates it), {@code DOWN}
 * answers 503 without keeping it, {@code REFUSE} answers 400.
 */
public final class LogReceiver implements AutoCloseable {

    public enum Mode { ACCEPT, STORE_THEN_FAIL, DOWN, REFUSE }

    /** One POST as received: lower-case header names, the decompressed body, its records. */
    public record Post(String path, Map<String, String> headers, String body, List<Map<String, Object>> records) {}

    private static final JsonFactory JSON = new JsonFactory();

    private final HttpServer server;
    private final List<Post> posts = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private volatile Mode mode = Mode.ACCEPT;
    private volatile int answered;

    public LogReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            answered++;
            Mode now = mode;
            if (now == Mode.DOWN) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())
                    || !"gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                problems.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().entrySet());
                exchange.sendResponseHeaders(415, -1);
                return;
            }
            String body;
            try (InputStream in = new GZIPInputStream(exchange.getRequestBody())) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (now == Mode.REFUSE) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
            List<Map<String, Object>> records;
            try {
                records = parse(body);
            } catch (RuntimeException notNdjson) {
                records = List.of(); // a job with its own framing: the test reads the body
            }
            posts.add(new Post(exchange.getRequestURI().toString(), headers, body, records));
            exchange.sendResponseHeaders(now == Mode.STORE_THEN_FAIL ? 500 : 200, -1);
        }
    }

    /** NDJSON: one object per non-empty line. */
    public static List<Map<String, Object>> parse(String ndjson) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (String line : ndjson.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), line)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    throw new IllegalArgumentException("not an object: " + line);
                }
                Map<String, Object> record = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    record.put(name, switch (value) {
                        case VALUE_NUMBER_INT -> p.getLongValue();
                        case VALUE_STRING -> p.getString();
                        default -> throw new IllegalArgumentException(name + " is neither a string nor a whole number: " + line);
                    });
                }
                records.add(record);
            }
        }
        return records;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public void mode(Mode mode) {
        this.mode = mode;
    }

    public List<Post> posts() {
        return List.copyOf(posts);
    }

    /** Every record of every stored POST. */
    public List<Map<String, Object>> records() {
        return posts.stream().flatMap(p -> p.records().stream()).toList();
    }

    /** Every record of the POSTs to {@code path} (the query aside). */
    public List<Map<String, Object>> records(String path) {
        return posts(path).stream().flatMap(p -> p.records().stream()).toList();
    }

    /** The POSTs to {@code path} (the query aside). */
    public List<Post> posts(String path) {
        return posts.stream().filter(p -> p.path().split("\\?")[0].equals(path)).toList();
    }

    /** Requests answered, in any mode. */
    public int answered() {
        return answered;
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
