package zoneplane.dataplane.usage;

import zoneplane.model.wire.UsageReport;

/** The dimension tuple of one {@link UsageReport.HttpGroup}. */
record GroupKey(String country, int status, String protocol, String kind, String sslProtocol, String host,
        String contentType) {

    /** What host and content type become once a zone-minute holds its limit of tuples. */
    static final String OTHER = "other";

    static GroupKey of(ExchangeRecord record) {
        return new GroupKey(record.clientCountry(), record.edgeStatus(), record.protocol(), record.kind().wireName(),
                record.sslProtocol(), record.host(), record.contentType());
    }

    GroupKey folded() {
        return new GroupKey(country, status, protocol, kind, sslProtocol, OTHER, OTHER);
    }

    UsageReport.HttpGroup group(long[] counts) {
        return new UsageReport.HttpGroup(country, status, protocol, kind, sslProtocol, host, contentType, counts[0],
                counts[1], counts[2]);
    }
}
