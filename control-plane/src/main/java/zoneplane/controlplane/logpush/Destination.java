package zoneplane.controlplane.logpush;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import zoneplane.controlplane.api.ApiErrorCode;
import zoneplane.controlplane.api.ApiException;
import zoneplane.model.ProhibitedAddresses;

/**
 * A job's {@code destination_conf}, checked: Cloudflare's HTTP destination
 * ({@code https://host[:port]/path?header_<Name>=<value>&…}: every {@code header_*} parameter
 * becomes a request header, the others stay in the URL) or Zoneplane's Kafka destination
 * ({@code kafka://host:port[,host:port]/topic?tls=true&sasl_mechanism=…&sasl_username=…&sasl_password=…&compression=…&client_id=…}).
 * Nothing here connects anywhere: the control plane never reaches a destination, so validating one
 * cannot be used to probe networks; the edge checks every address a host name resolves to before
 * it delivers, with the same rule.
 *
 * <p>{@link #masked()} is the text the API shows: secret values ({@code header_*} values, URL
 * userinfo passwords, Kafka {@code sasl_password}, and any parameter whose name says key, token,
 * secret, password, signature or auth) replaced by {@link #MASK}.
 */
record Destination(String conf, String masked) {

    static final String MASK = "*****";

    private static final int MAX_LENGTH = 4096;
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}");
    private static final Set<String> MANAGED_HEADERS = Set.of("host", "content-length", "content-type", "content-encoding",
            "transfer-encoding", "connection", "keep-alive", "te", "trailer", "upgrade", "proxy-connection", "expect");
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(key|token|secret|password|passwd|signature|sig|auth).*");
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");
    private static final Pattern BROKER_HOST = Pattern.compile("[A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}]");
    private static final Map<String, Pattern> KAFKA_OPTIONS = Map.of(
            "tls", Pattern.compile("true|false"),
            "sasl_mechanism", Pattern.compile("PLAIN|SCRAM-SHA-256|SCRAM-SHA-512"),
            "sasl_username", Pattern.compile("[^\\x00-\\x1f]{1,256}"),
            "sasl_password", Pattern.compile("[^\\x00-\\x1f]{1,1024}"),
            "compression", Pattern.compile("none|gzip|snappy|lz4|zstd"),
            "client_id", Pattern.compile("[A-Za-z0-9._-]{1,128}"));

    /** The destination in {@code conf}, or the 400 that says what is wrong with it. */
    static Destination parse(String conf, boolean allowPrivate) {
        if (conf == null || conf.isBlank()) {
            throw invalid("destination_conf is required");
        }
        if (conf.length() > MAX_LENGTH) {
            throw invalid("destination_conf is longer than " + MAX_LENGTH + " characters");
        }
        String lower = conf.toLowerCase(Locale.ROOT);
        if (lower.startsWith("https://") || lower.startsWith("http://")) {
            return http(conf, allowPrivate);
        }
        if (lower.startsWith("kafka://")) {
            return kafka(conf, allowPrivate);
        }
        throw invalid("destination_conf must start with https:// or kafka:// (Zoneplane delivers to HTTP endpoints and Kafka)");
    }

    private static Destination http(String conf, boolean allowPrivate) {
        URI uri;
        try {
            uri = new URI(conf);
        } catch (URISyntaxException e) {
            throw invalid("destination_conf is not a valid URL: " + e.getReason());
        }
        if ("http".equalsIgnoreCase(uri.getScheme()) && !allowPrivate) {
            throw invalid("destination_conf must use https:// (http:// is only for operators who allow private destinations)");
        }
        String host = host(uri);
        if (host.isEmpty() || uri.getRawFragment() != null) {
            throw invalid("destination_conf must be an absolute URL with a host and no fragment");
        }
        checkHost(host, allowPrivate);
        List<QueryParameter> parameters = parameters(uri.getRawQuery());
        for (QueryParameter p : parameters) {
            if (p.name().regionMatches(true, 0, "header_", 0, 7)) {
                checkHeader(p);
            }
        }
        String masked = conf;
        if (uri.getRawUserInfo() != null && uri.getRawUserInfo().contains(":")) {
            String user = uri.getRawUserInfo().substring(0, uri.getRawUserInfo().indexOf(':'));
            masked = masked.replaceFirst(Pattern.quote(uri.getRawUserInfo() + "@"), java.util.regex.Matcher.quoteReplacement(user + ":" + MASK + "@"));
        }
        return new Destination(conf, maskQuery(masked, parameters, p -> p.name().regionMatches(true, 0, "header_", 0, 7)
                || SECRET_NAME.matcher(p.name()).matches()));
    }

    /**
     * The URL's host, also where {@link URI} sees only a registry authority (a host such as
     * {@code 0x7f.1}, which resolvers still take for an IP address): the authority without
     * userinfo and port.
     */
    private static String host(URI uri) {
        if (uri.getHost() != null) {
            return uri.getHost();
        }
        String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
        authority = authority.substring(authority.lastIndexOf('@') + 1);
        int colon = authority.lastIndexOf(':');
        return colon > authority.lastIndexOf(']') ? authority.substring(0, colon) : authority;
    }

    private static void checkHeader(QueryParameter p) {
        String header = p.name().substring(7);
        if (!HEADER_NAME.matcher(header).matches()) {
            throw invalid("destination_conf parameter " + p.name() + " does not name a valid HTTP header");
        }
        if (MANAGED_HEADERS.contains(header.toLowerCase(Locale.ROOT))) {
            throw invalid("destination_conf cannot set the " + header + " header (the edge sets it)");
        }
        if (p.value().chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
            throw invalid("destination_conf parameter " + p.name() + " holds a control character");
        }
    }

    private static Destination kafka(String conf, boolean allowPrivate) {
        String rest = conf.substring("kafka://".length());
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            throw invalid("a Kafka destination is kafka://host:port[,host:port]/topic?…");
        }
        for (String broker : rest.substring(0, slash).split(",", -1)) {
            checkBroker(broker, allowPrivate);
        }
        String path = rest.substring(slash + 1);
        int question = path.indexOf('?');
        String topic = question < 0 ? path : path.substring(0, question);
        if (!TOPIC.matcher(topic).matches()) {
            throw invalid("a Kafka topic is 1-249 letters, digits, '.', '_' or '-'");
        }
        List<QueryParameter> parameters = parameters(question < 0 ? null : path.substring(question + 1));
        Map<String, String> options = new LinkedHashMap<>();
        for (QueryParameter p : parameters) {
            Pattern allowed = KAFKA_OPTIONS.get(p.name());
            if (allowed == null) {
                throw invalid("unknown Kafka option " + shorten(p.name()) + ": expected " + String.join(", ",
                        new java.util.TreeSet<>(KAFKA_OPTIONS.keySet())));
            }
            if (!allowed.matcher(p.value()).matches() || options.put(p.name(), p.value()) != null) {
                throw invalid("Kafka option " + p.name() + " is invalid or given twice");
            }
        }
        if (options.containsKey("sasl_mechanism") != (options.containsKey("sasl_username") && options.containsKey("sasl_password"))
                || options.containsKey("sasl_username") != options.containsKey("sasl_password")) {
            throw invalid("Kafka SASL needs sasl_mechanism, sasl_username and sasl_password together");
        }
        return new Destination(conf, maskQuery(conf, parameters, p -> p.name().equals("sasl_password")));
    }

    private static void checkBroker(String broker, boolean allowPrivate) {
        int colon = broker.lastIndexOf(':');
        String host = colon > 0 ? broker.substring(0, colon) : "";
        String port = colon > 0 ? broker.substring(colon + 1) : "";
        if (!BROKER_HOST.matcher(host).matches() || !port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1
                || Integer.parseInt(port) > 65535) {
            throw invalid("each Kafka broker is host:port (an IPv6 address in brackets): " + shorten(broker));
        }
        checkHost(host, allowPrivate);
    }

    private static void checkHost(String host, boolean allowPrivate) {
        if (allowPrivate) {
            return;
        }
        if (ProhibitedAddresses.isLocalName(host)) {
            throw prohibited(host, "loopback (localhost)");
        }
        ProhibitedAddresses.literal(host).flatMap(ProhibitedAddresses::reason).ifPresent(why -> {
            throw prohibited(host, why);
        });
    }

    private static List<QueryParameter> parameters(String rawQuery) {
        try {
            return QueryParameter.parse(rawQuery);
        } catch (IllegalArgumentException e) {
            throw invalid("destination_conf has a malformed percent-encoding");
        }
    }

    private static String maskQuery(String conf, List<QueryParameter> parameters, java.util.function.Predicate<QueryParameter> secret) {
        int question = conf.indexOf('?');
        if (question < 0) {
            return conf;
        }
        StringBuilder masked = new StringBuilder(conf.substring(0, question + 1));
        String separator = "";
        for (QueryParameter p : parameters) {
            masked.append(separator);
            separator = "&";
            if (secret.test(p) && !p.value().isEmpty()) {
                masked.append(p.raw(), 0, p.raw().indexOf('=') + 1).append(MASK);
            } else {
                masked.append(p.raw());
            }
        }
        return masked.toString();
    }

    /** Whether the text still holds a masked value: a client sent back what it was shown. */
    boolean holdsMask() {
        return conf.contains("=" + MASK) || conf.contains(":" + MASK + "@");
    }

    private static String shorten(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "…" : text;
    }

    private static ApiException invalid(String message) {
        return new ApiException(ApiErrorCode.LOGPUSH_INVALID_DESTINATION, message);
    }

    private static ApiException prohibited(String host, String why) {
        return new ApiException(ApiErrorCode.LOGPUSH_PROHIBITED_DESTINATION, "Destination host " + shorten(host)
                + " is a prohibited IP (" + why + "); a log destination must be a public address or a host name");
    }

    @Override
    public String toString() {
        return "Destination[" + masked + "]";
    }
}
