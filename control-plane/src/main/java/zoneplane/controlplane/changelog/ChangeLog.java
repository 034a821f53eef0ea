package zoneplane.controlplane.changelog;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.StringWriter;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;
import zoneplane.controlplane.database.AfterCommit;
import zoneplane.controlplane.database.SqlArrays;
import zoneplane.model.Change;
import zoneplane.model.ZoneConfig;
import zoneplane.model.wire.WireFormat;
import zoneplane.model.wire.WireFormatException;

/**
 * The only writer of {@code change_log}: every accepted change (zone created, edited or deleted, a
 * setting or a batch of settings changed) calls it once, inside the change's own transaction, after
 * its writes.
 *
 * <p>Ordering contract: the next revision is taken with
 * {@code update config_revision set revision = revision + n returning revision} (n changes, in the
 * same statement as their insert), whose row lock is held until the transaction ends. Writers
 * therefore commit strictly in revision order, revisions are gap-free (a rolled-back writer
 * releases its number with the lock), and a reader that has seen revision n never later finds a
 * committed change below n. Callers lock the zone row before calling
 * (zone first, then revision: one lock order, no deadlock).
 *
 * <p>The upsert payload is the zone's full state after the change, in the same transaction, so it
 * is what the API shows after commit.
 */
@Component
public class ChangeLog {

    /** Response header naming the revision an accepted change created. */
    public static final String REVISION_HEADER = "Zoneplane-Revision";

    /** The revision a change carries until {@link #append} numbers it in the database. */
    private static final long UNNUMBERED = 0;

    private static final JsonFactory JSON = new JsonFactory();

    private final JdbcClient jdbc;
    private final ZoneConfigReader configs;
    private final Counter upserts;
    private final Counter deletions;

    ChangeLog(JdbcClient jdbc, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.configs = new ZoneConfigReader(jdbc);
        this.upserts = changes(meters, WireFormat.ZONE_UPSERTED);
        this.deletions = changes(meters, WireFormat.ZONE_DELETED);
    }

    /** Records the zone's current state (read back after the caller's writes) as the next revision. */
    @Transactional(propagation = Propagation.MANDATORY)
    public long appendUpsert(String zoneId) {
        return appendUpsert(configs.read(zoneId));
    }

    /**
     * Records {@code zone} as the next revision. The caller guarantees it is the zone's state after
     * its writes (it holds the zone lock and derived it from what it wrote), which saves reading it
     * back on the hot path of setting PATCHes.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public long appendUpsert(ZoneConfig zone) {
        return appendUpserts(List.of(zone));
    }

    /**
     * Records each of {@code zones} as a revision of its own, in list order, in one statement:
     * returns the first revision, the others follow it without gaps. For changes of several zones
     * committed together (one per zone; the caller holds each zone's lock).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public long appendUpserts(List<ZoneConfig> zones) {
        Set<String> withdrawn = notActive(zones);
        long first = append(zones.stream()
                .map(zone -> withdrawn.contains(zone.id())
                        ? new Entry(zone.id(), WireFormat.ZONE_DELETED, new Change.ZoneDeleted(UNNUMBERED, zone.id(), zone.name()))
                        : new Entry(zone.id(), WireFormat.ZONE_UPSERTED, new Change.ZoneUpserted(UNNUMBERED, zone)))
                .toList());
        afterCommit(upserts, zones.size() - withdrawn.size());
        afterCommit(deletions, withdrawn.size());
        return first;
    }

    /**
     * Which of {@code zones} are not active (pending or moved, see {@code ZoneService#activationCheck}).
     * The edge serves only active zones, and it replaces a zone by name, so a change of any other zone
     * is written as that zone's deletion: the edge forgets the zone if it had it (it was just moved)
     * and otherwise ignores it (a deletion removes only the zone of that id), so an active zone of
     * the same name in another account keeps being served.
     */
    private Set<String> notActive(List<ZoneConfig> zones) {
        return Set.copyOf(jdbc.sql("select id from zones where id = any (cast(:ids as text[])) and status <> 'active'")
                .param("ids", SqlArrays.text(zones.stream().map(ZoneConfig::id).toList()))
                .query(String.class)
                .list());
    }

    /** Records that the zone (already deleted by the caller) is gone. */
    @Transactional(propagation = Propagation.MANDATORY)
    public long appendDeletion(String zoneId, String name) {
        long revision = append(List.of(new Entry(zoneId, WireFormat.ZONE_DELETED, new Change.ZoneDeleted(UNNUMBERED, zoneId, name))));
        afterCommit(deletions, 1);
        return revision;
    }

    private record Entry(String zoneId, String kind, Change unnumbered) {}

    /**
     * Takes the next revisions and inserts the changes under them in one statement, so the global
     * revision lock is held for one round trip less: it is held until commit, and every writer
     * waits for it. Each payload's {@code revision} is set to the number it got, in the same
     * statement. Returns the first revision.
     */
    private long append(List<Entry> entries) {
        StringWriter rows = new StringWriter(320 * entries.size());
        try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), rows)) {
            g.writeStartArray();
            for (int i = 0; i < entries.size(); i++) {
                Entry entry = entries.get(i);
                g.writeStartObject();
                g.writeNumberProperty("ordinal", i + 1);
                g.writeStringProperty("zone_id", entry.zoneId());
                g.writeStringProperty("kind", entry.kind());
                g.writeName("payload");
                g.writeRawValue(decodable(entry.unnumbered()));
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        return jdbc.sql("""
                        with next as (update config_revision set revision = revision + :count returning revision),
                        numbered as (
                            select next.revision - :count + t.ordinal as revision, t.zone_id, t.kind, t.payload
                            from next, jsonb_to_recordset(cast(:rows as jsonb))
                                as t(ordinal bigint, zone_id text, kind text, payload jsonb))
                        insert into change_log (revision, zone_id, kind, payload)
                        select revision, zone_id, kind, jsonb_set(payload, '{revision}', to_jsonb(revision))
                        from numbered
                        returning revision""")
                .param("count", entries.size())
                .param("rows", rows.toString())
                .query(Long.class)
                .list()
                .stream()
                .mapToLong(Long::longValue)
                .min()
                .orElseThrow();
    }

    /**
     * The change's payload, once this control plane has decoded it back to the same change (issue 21):
     * a change the nodes could not decode is never committed. Decoding needs a real revision, so it
     * is checked under a stand-in one ({@code append} sets the real one in SQL, where V35's
     * constraint checks the payload again).
     */
    static String decodable(Change unnumbered) {
        Change numbered = unnumbered instanceof Change.ZoneUpserted upserted
                ? new Change.ZoneUpserted(1, upserted.zone())
                : new Change.ZoneDeleted(1, unnumbered.zoneId(), ((Change.ZoneDeleted) unnumbered).name());
        String json = WireFormat.changeToJson(numbered);
        Change decoded;
        try {
            decoded = WireFormat.changeFromJson(json);
        } catch (WireFormatException e) {
            throw new IllegalStateException("refusing to record a change the edge could not decode: " + e.getMessage(), e);
        }
        if (!decoded.equals(numbered)) {
            throw new IllegalStateException("refusing to record a change that decodes differently: " + json);
        }
        return WireFormat.changeToJson(unnumbered);
    }

    /** Counts a change only once it is committed, so the meter never counts rolled-back work. */
    private static void afterCommit(Counter counter, int changes) {
        AfterCommit.run(() -> counter.increment(changes));
    }

    private static Counter changes(MeterRegistry meters, String kind) {
        return Counter.builder("zoneplane.changes.accepted")
                .description("Accepted configuration changes (one per config revision)")
                .tag("kind", kind)
                .register(meters);
    }
}
