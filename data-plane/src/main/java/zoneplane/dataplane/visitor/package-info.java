/**
 * Who the visitor is: {@code VisitorResolver} decides the visitor's address and scheme from the TCP peer,
 * a PROXY protocol header, and {@code X-Forwarded-For}/{@code X-Forwarded-Proto} from trusted proxies only;
 * {@code IpLiterals} parses addresses without DNS. Immutable and thread-safe.
 */
package zoneplane.dataplane.visitor;
