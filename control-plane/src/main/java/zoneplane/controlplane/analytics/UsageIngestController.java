package zoneplane.controlplane.analytics;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import zoneplane.controlplane.api.ApiErrorCode;
import zoneplane.controlplane.api.ApiException;
import zoneplane.controlplane.api.BodyTooLargeException;
import zoneplane.controlplane.api.RequestBodyLimitFilter;
import zoneplane.controlplane.api.Envelope;
import zoneplane.controlplane.distribution.NodeFacing;
import zoneplane.model.wire.UsageReport;
import zoneplane.model.wire.WireFormatException;

/**
 * {@code POST /internal/v1/nodes/{node_id}/usage}: a node ships closed minutes of its zones'
 * traffic ({@link UsageReport} JSON, usually {@code Content-Encoding: gzip}), with its node token
 * (the distribution feature's node authentication guards this controller too). Answers 200 only
 * once the minutes are committed, so a node may forget what it got 2xx for and must retry anything
 * else; a retry never counts twice. The endpoint is exempt from {@code zoneplane.api.max-body-size} (a node
 * with thousands of zones ships megabytes): the body as sent is bounded by
 * {@code zoneplane.analytics.max-report-compressed-size}, the decompressed one by
 * {@code zoneplane.analytics.max-report-size} (both 8 MB by default; 413, code 9413); a body that
 * is no report, or a report of another node, is 400 (code 1003).
 */
@RestController
@NodeFacing
public class UsageIngestController {

    public static final String USAGE_PATH = "/internal/v1/nodes/{nodeId}/usage";

    /** What the node learns: how many minutes were new, already stored, or dropped. */
    public record IngestResult(int stored, int duplicates, int dropped_unknown_zone, int dropped_out_of_range) {}

    private final UsageIngest ingest;
    private final long maxReportSize;
    private final long maxCompressedSize;

    UsageIngestController(UsageIngest ingest, AnalyticsProperties properties) {
        this.ingest = ingest;
        this.maxReportSize = properties.maxReportSize().toBytes();
        this.maxCompressedSize = properties.maxReportCompressedSize().toBytes();
    }

    @PostMapping(USAGE_PATH)
    public ResponseEntity<Envelope<IngestResult>> report(@PathVariable String nodeId, HttpServletRequest request) {
        UsageReport report = decode(read(request));
        if (!report.nodeId().equals(nodeId)) {
            throw invalid("the report's node_id '" + report.nodeId() + "' is not the node of the path");
        }
        for (UsageReport.ZoneMinute minute : report.minutes()) {
            if (!Uniques.readable(minute.uniques())) {
                throw invalid("uniques of zone " + minute.zoneId() + " at " + minute.minute() + " is not an HLL sketch");
            }
        }
        UsageIngest.Outcome outcome = ingest.ingest(report);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(Envelope.of(new IngestResult(
                outcome.stored(), outcome.duplicates(), outcome.unknownZones(), outcome.outOfRange())));
    }

    private String read(HttpServletRequest request) {
        if (request.getContentLengthLong() > maxCompressedSize) {
            throw tooLarge();
        }
        // a chunked body has no Content-Length: it is counted as it is read
        try (InputStream body = body(request, RequestBodyLimitFilter.bounded(request, maxCompressedSize).getInputStream())) {
            byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxReportSize + 1));
            if (bytes.length > maxReportSize) {
                throw new ApiException(ApiErrorCode.BODY_TOO_LARGE,
                        "usage report larger than " + maxReportSize + " bytes decompressed: send fewer minutes per report");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (BodyTooLargeException e) {
            throw tooLarge();
        } catch (ZipException | java.io.EOFException e) {
            throw invalid("body is not valid gzip: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ApiException tooLarge() {
        return new ApiException(ApiErrorCode.BODY_TOO_LARGE, "usage report body larger than " + maxCompressedSize
                + " bytes as sent: send fewer minutes per report");
    }

    private static InputStream body(HttpServletRequest request, InputStream raw) throws IOException {
        String encoding = request.getHeader("Content-Encoding");
        if (encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity")) {
            return raw;
        }
        if (encoding.equalsIgnoreCase("gzip")) {
            return new GZIPInputStream(raw);
        }
        throw invalid("Content-Encoding must be gzip or identity");
    }

    private static UsageReport decode(String json) {
        try {
            return UsageReport.fromJson(json);
        } catch (WireFormatException e) {
            throw invalid(e.getMessage());
        }
    }

    private static ApiException invalid(String message) {
        return new ApiException(ApiErrorCode.INVALID_REQUEST, message);
    }
}
