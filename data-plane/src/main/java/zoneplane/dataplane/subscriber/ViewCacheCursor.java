package zoneplane.dataplane.subscriber;

import java.nio.charset.StandardCharsets;

/** Bounds-checked reads over the body; running past its end means the file is damaged. */
final class ViewCacheCursor {
    private final byte[] bytes;
    private final int end;
    private int at;

    ViewCacheCursor(byte[] bytes, int start, int end) {
        this.bytes = bytes;
        this.at = start;
        this.end = end;
    }

    int position() {
        return at;
    }

    int u8() throws CorruptCacheException {
        need(1);
        return bytes[at++] & 0xff;
    }

    int varint() throws CorruptCacheException {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = u8();
            value |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                if (value < 0) {
                    break;
                }
                return value;
            }
        }
        throw CorruptCacheException.corrupt("malformed number at byte " + at);
    }

    /** A count of items that each take at least one byte, so it cannot exceed what is left. */
    int count(String what) throws CorruptCacheException {
        int n = varint();
        if (n > end - at) {
            throw CorruptCacheException.corrupt(n + " " + what + " cannot fit in the " + (end - at) + " bytes left");
        }
        return n;
    }

    int index(int size, String table) throws CorruptCacheException {
        int i = varint();
        if (i >= size) {
            throw CorruptCacheException.corrupt(table + " index " + i + " out of " + size);
        }
        return i;
    }

    String string() throws CorruptCacheException {
        int length = varint();
        if (length > BinaryViewCodec.MAX_STRING) {
            throw CorruptCacheException.corrupt("a string of " + length + " bytes at byte " + at);
        }
        need(length);
        String value = new String(bytes, at, length, StandardCharsets.UTF_8);
        at += length;
        return value;
    }

    String hex(int length) throws CorruptCacheException {
        need(length);
        String value = BinaryViewCodec.HEX.formatHex(bytes, at, at + length);
        at += length;
        return value;
    }

    private void need(int n) throws CorruptCacheException {
        if (n > end - at) {
            throw CorruptCacheException.corrupt("ends early at byte " + at);
        }
    }
}
