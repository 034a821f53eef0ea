package zoneplane.dataplane.geo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a small but valid MaxMind DB file, for tests (MaxMind publishes no Java writer). Just enough of
 * the MaxMind DB 2.0 format (https://maxmind.github.io/MaxMind-DB/):
 *
 * <pre>
 *   search tree      node_count nodes; a node is two 24-bit big-endian records (left = bit 0, right = bit 1).
 *                    A record below node_count points at that node, equal to it means "no data", above
 *                    it points into the data section at (record - node_count - 16).
 *   16 zero bytes    the data section separator
 *   data section     one record per distinct value, e.g. {"country": {"iso_code": "US"}}
 *   metadata         "\xAB\xCD\xEFMaxMind.com" then a map (node_count, record_size, ip_version, ...)
 * </pre>
 *
 * Values use the format's control byte: the top 3 bits are the type (2 string, 5 uint16, 6 uint32,
 * 7 map; 0 means "extended", the real type minus 7 follows in the next byte, e.g. 2 for uint64 and 4
 * for array), the low 5 bits the size (string length, byte count, or number of map pairs / array items).
 * Networks must not overlap. In an IPv6 tree, IPv4 networks go under ::/96 as MaxMind's own files do.
 */
final class MmdbTestWriter {

    private static final int RECORD_BITS = 24;

    private final int ipVersion;
    private final Node root = new Node();
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();
    private final Map<String, Integer> dataOffsets = new HashMap<>();

    MmdbTestWriter(int ipVersion) {
        this.ipVersion = ipVersion;
    }

    /** Adds {@code cidr} (e.g. {@code "1.0.0.0/24"}, {@code "2001:db8::/32"}) whose record names {@code country}. */
    MmdbTestWriter add(String cidr, String country) throws IOException {
        return add(cidr, Map.of("country", Map.of("iso_code", country)));
    }

    /** Adds {@code cidr} with any record (values: String, Integer, Long, Map, List). */
    MmdbTestWriter add(String cidr, Map<String, Object> record) throws IOException {
        String[] parts = cidr.split("/");
        byte[] address = InetAddress.getByName(parts[0]).getAddress();
        int prefix = Integer.parseInt(parts[1]);
        if (address.length == 4 && ipVersion == 6) {
            byte[] v6 = new byte[16];
            System.arraycopy(address, 0, v6, 12, 4);
            address = v6;
            prefix += 96;
        }
        insert(address, prefix, dataOffsetOf(record));
        return this;
    }

    void write(Path file) throws IOException {
        List<Node> nodes = numberNodes();
        int nodeCount = nodes.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Node node : nodes) {
            writeRecord(out, recordValue(node.left, nodeCount));
            writeRecord(out, recordValue(node.right, nodeCount));
        }
        out.write(new byte[16]);
        out.write(data.toByteArray());
        out.write(new byte[] {(byte) 0xAB, (byte) 0xCD, (byte) 0xEF});
        out.write("MaxMind.com".getBytes(StandardCharsets.US_ASCII));
        out.write(metadata(nodeCount));
        Files.write(file, out.toByteArray());
    }

    private int dataOffsetOf(Map<String, Object> record) {
        return dataOffsets.computeIfAbsent(record.toString(), key -> {
            int offset = data.size();
            writeValue(data, record);
            return offset;
        });
    }

    private void insert(byte[] address, int prefix, int dataOffset) {
        Node node = root;
        for (int bit = 0; bit < prefix - 1; bit++) {
            boolean right = bitAt(address, bit);
            Object child = right ? node.right : node.left;
            if (!(child instanceof Node)) {
                if (child != null) {
                    throw new IllegalArgumentException("overlapping networks are not supported");
                }
                child = new Node();
                if (right) {
                    node.right = child;
                } else {
                    node.left = child;
                }
            }
            node = (Node) child;
        }
        if (bitAt(address, prefix - 1)) {
            node.right = dataOffset;
        } else {
            node.left = dataOffset;
        }
    }

    private static boolean bitAt(byte[] address, int bit) {
        return (address[bit / 8] >> (7 - bit % 8) & 1) == 1;
    }

    /** Breadth-first numbering: the root must be node 0, any order works for the rest. */
    private List<Node> numberNodes() {
        List<Node> nodes = new ArrayList<>();
        Deque<Node> queue = new ArrayDeque<>(List.of(root));
        while (!queue.isEmpty()) {
            Node node = queue.removeFirst();
            node.number = nodes.size();
            nodes.add(node);
            if (node.left instanceof Node) {
                queue.addLast((Node) node.left);
            }
            if (node.right instanceof Node) {
                queue.addLast((Node) node.right);
            }
        }
        return nodes;
    }

    private static long recordValue(Object child, int nodeCount) {
        if (child == null) {
            return nodeCount;
        }
        if (child instanceof Node) {
            return ((Node) child).number;
        }
        return nodeCount + 16L + (Integer) child;
    }

    private static void writeRecord(ByteArrayOutputStream out, long value) {
        if (value >= 1L << RECORD_BITS) {
            throw new IllegalStateException("record does not fit in 24 bits");
        }
        out.write((int) (value >> 16));
        out.write((int) (value >> 8));
        out.write((int) value);
    }

    private byte[] metadata(int nodeCount) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("binary_format_major_version", 2);
        fields.put("binary_format_minor_version", 0);
        fields.put("build_epoch", 1_764_000_000L);
        fields.put("database_type", "Zoneplane-Test-Country");
        fields.put("description", Map.of("en", "Zoneplane test data"));
        fields.put("ip_version", ipVersion);
        fields.put("languages", List.of("en"));
        fields.put("node_count", (long) nodeCount);
        fields.put("record_size", RECORD_BITS);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeValue(out, fields);
        return out.toByteArray();
    }

    /** Integer → uint16, Long → uint32 or uint64 by magnitude, String, Map, List. */
    private static void writeValue(ByteArrayOutputStream out, Object value) {
        if (value instanceof String) {
            writeString(out, (String) value);
        } else if (value instanceof Integer) {
            writeUnsigned(out, 5, (Integer) value, 2);
        } else if (value instanceof Long && (Long) value <= 0xFFFFFFFFL) {
            writeUnsigned(out, 6, (Long) value, 4);
        } else if (value instanceof Long) {
            out.write(8); // control byte: extended type, 8 bytes
            out.write(9 - 7); // uint64
            writeBigEndian(out, (Long) value, 8);
        } else if (value instanceof Map) {
            Map<?, ?> map = (Map<?, ?>) value;
            writeMap(out, map.size());
            map.forEach((key, entry) -> {
                writeString(out, (String) key);
                writeValue(out, entry);
            });
        } else if (value instanceof List) {
            List<?> list = (List<?>) value;
            out.write(list.size()); // control byte: extended type, size
            out.write(11 - 7); // array
            list.forEach(item -> writeValue(out, item));
        } else {
            throw new IllegalArgumentException("cannot encode " + value);
        }
    }

    private static void writeUnsigned(ByteArrayOutputStream out, int type, long value, int bytes) {
        out.write(type << 5 | bytes);
        writeBigEndian(out, value, bytes);
    }

    private static void writeBigEndian(ByteArrayOutputStream out, long value, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) {
            out.write((int) (value >> (8 * i)));
        }
    }

    private static void writeString(ByteArrayOutputStream out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= 29) {
            throw new IllegalArgumentException("strings of 29 bytes or more need a size extension: " + value);
        }
        out.write(2 << 5 | bytes.length);
        out.write(bytes, 0, bytes.length);
    }

    private static void writeMap(ByteArrayOutputStream out, int pairs) {
        out.write(7 << 5 | pairs);
    }

    private static final class Node {
        Object left;
        Object right;
        int number;
    }
}
