package zoneplane.dataplane.guard;

import io.netty.buffer.ByteBuf;
import java.util.function.Function;
import zoneplane.dataplane.origin.UploadTooLargeException;

/**
 * Counts a request body as it streams to the origin and fails it once it crosses the limit. One per
 * request; the body's chunks arrive in order on one event loop, so a plain field suffices.
 */
public final class UploadCounter implements Function<ByteBuf, ByteBuf> {

    private final long limit;
    private long seen;

    public UploadCounter(long limit) {
        this.limit = limit;
    }

    @Override
    public ByteBuf apply(ByteBuf chunk) {
        seen += chunk.readableBytes();
        if (seen > limit) {
            chunk.release();
            throw new UploadTooLargeException(limit);
        }
        return chunk;
    }
}
