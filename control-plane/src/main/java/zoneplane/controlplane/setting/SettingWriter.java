package zoneplane.controlplane.setting;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.account.AccountScope;
import zoneplane.controlplane.api.ApiErrorCode;
import zoneplane.controlplane.api.ApiException;
import zoneplane.controlplane.api.DatabaseOutage;
import zoneplane.controlplane.audit.AuditAction;
import zoneplane.controlplane.audit.AuditEvent;
import zoneplane.controlplane.audit.AuditTrail;
import zoneplane.controlplane.changelog.Applied;
import zoneplane.controlplane.changelog.ChangeLog;
import zoneplane.controlplane.database.DatabaseAvailability;
import zoneplane.controlplane.zone.Zone;
import zoneplane.controlplane.zone.ZoneRepository;
import zoneplane.model.Setting;
import zoneplane.model.SettingValue;
import zoneplane.model.ZoneConfig;

/**
 * Writes setting changes with group commit. Request threads hand their change to one writer thread
 * and wait; the writer takes every change that queued up meanwhile (up to {@link #MAX_BATCH}, one per
 * zone) and writes them in one transaction: the zones locked in one statement, their stored settings
 * read in one, then one statement each for the new values, the change-log entries (a revision per
 * change, in queue order) and the audit rows, and one commit. Under load a PATCH so costs a fraction
 * of the statements, commits and WAL flushes it would alone; when idle a batch is one change.
 *
 * <p>Each change is decided on its own, exactly as it would be alone: 404 for a zone outside the
 * caller's scope, the catalogue's verdict on each value, {@code If-Match}, and no write and no
 * revision when every value is already in effect. A refused change does not affect the others of
 * its batch. A batch holds one change per zone, so each change sees the previous one's result; a
 * second change of a zone waits for the next batch, in order. If the transaction fails, nothing of
 * it is written and each change is tried again alone.
 *
 * <p>Metrics: {@code zoneplane.settings.write.batch} (changes per transaction) and
 * {@code zoneplane.settings.write.queued} (changes waiting for the writer).
 */
@Component
class SettingWriter implements DisposableBean {

    /** Changes written in one transaction at most: bounds the statements' size and the lock hold time. */
    static final int MAX_BATCH = 64;

    private static final Logger log = LoggerFactory.getLogger(SettingWriter.class);
    private static final Pending STOP = new Pending(null, null);

    /** A change as the caller asked for it; {@code ifMatch} may be null. */
    record Edit(AccountScope scope, String zoneId, List<Item> items, String ifMatch, AuditTrail.Actor actor) {}

    /** One requested value, the setting by the id the caller gave (resolved once the zone is known to be theirs). */
    record Item(String settingId, JsonNode value) {}

    private record Pending(Edit edit, CompletableFuture<Applied<List<SettingView>>> answer) {}

    /** A change that passed every check and writes at least one value. */
    private record Accepted(Pending pending, Zone zone, ZoneSettingState before,
            Map<Setting, SettingValue> requested, Map<Setting, SettingValue> changed) {}

    private final ZoneRepository zones;
    private final ZoneSettingRepository settings;
    private final ChangeLog changeLog;
    private final AuditTrail audit;
    private final PlatformTransactionManager transactions;
    private final DatabaseAvailability database;
    private final DistributionSummary batchSizes;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    /** Set when {@link #destroy} asked it to stop: the writer finishes what is queued, waiting for nothing more. */
    private boolean stopping;
    /** Set (under the queue's lock) when the writer has ended: nothing more is accepted. */
    private boolean closed;

    SettingWriter(ZoneRepository zones, ZoneSettingRepository settings, ChangeLog changeLog, AuditTrail audit,
            DataSource dataSource, DatabaseAvailability database, MeterRegistry meters) {
        this.zones = zones;
        this.settings = settings;
        this.changeLog = changeLog;
        this.audit = audit;
        // Its own plain manager on the same DataSource (so the repositories join its transactions): a
        // commit cut off by a database outage is then not followed by a rollback attempt on the dead
        // connection, which the JdbcTransactionManager makes and logs as an ERROR with a stack trace.
        this.transactions = new DataSourceTransactionManager(dataSource);
        this.database = database;
        this.batchSizes = DistributionSummary.builder("zoneplane.settings.write.batch")
                .description("Setting changes written per transaction (group commit)")
                .register(meters);
        Gauge.builder("zoneplane.settings.write.queued", queue, BlockingQueue::size)
                .description("Setting changes waiting for the writer")
                .register(meters);
        this.writer = new Thread(this::run, "zoneplane-setting-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /**
     * Writes the change (or refuses it) and returns its outcome, waiting for its batch to commit. Not
     * from inside a transaction: the writer's own could wait for a lock the caller's holds.
     */
    Applied<List<SettingView>> write(Edit edit) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("setting changes are written by the setting writer, not inside a caller's transaction");
        }
        Pending pending = new Pending(edit, new CompletableFuture<>());
        synchronized (queue) {
            if (closed) {
                throw stoppedError();
            }
            queue.add(pending);
        }
        try {
            return pending.answer().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the setting change was written", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private void run() {
        ArrayDeque<Pending> deferred = new ArrayDeque<>();
        try {
            while (true) {
                List<Pending> batch = nextBatch(deferred);
                if (batch.isEmpty()) {
                    return;
                }
                RuntimeException outage = write(batch);
                if (outage != null) {
                    failWaiting(deferred, outage);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (queue) {
                closed = true;
                deferred.addAll(queue);
                queue.clear();
            }
            deferred.stream().filter(pending -> pending != STOP)
                    .forEach(pending -> pending.answer().completeExceptionally(stoppedError()));
        }
    }

    /**
     * Writes the batch in one transaction and answers its changes once committed. If the transaction
     * fails, each change is written again alone, so one change the database refuses cannot fail the
     * others; unless the database cannot be reached: then they all fail at once (503), and the
     * failure is returned so that every change still waiting fails with them.
     */
    private RuntimeException write(List<Pending> batch) {
        batchSizes.record(batch.size());
        List<Runnable> answers;
        try {
            answers = inTransaction(batch);
        } catch (RuntimeException e) {
            if (DatabaseOutage.is(e)) {
                database.failed(e);
                batch.forEach(pending -> pending.answer().completeExceptionally(e));
                return e;
            }
            if (batch.size() == 1) {
                batch.get(0).answer().completeExceptionally(e);
            } else {
                log.warn("a batch of {} setting changes failed ({}); writing each alone", batch.size(), e.toString());
                batch.forEach(pending -> write(List.of(pending)));
            }
            return null;
        }
        answers.forEach(Runnable::run);
        return null;
    }

    /**
     * {@link #writeBatch} in one transaction. A rollback that fails after the database could not be
     * reached (the connection is gone with the transaction) is expected: the outage is what the caller
     * gets, without the transaction template's ERROR and stack trace for each batch of the outage.
     */
    private List<Runnable> inTransaction(List<Pending> batch) {
        TransactionStatus status = transactions.getTransaction(new DefaultTransactionDefinition());
        List<Runnable> answers;
        try {
            answers = writeBatch(batch);
        } catch (RuntimeException | Error e) {
            try {
                transactions.rollback(status);
            } catch (RuntimeException rollbackFailed) {
                if (!DatabaseOutage.is(e)) {
                    rollbackFailed.addSuppressed(e);
                    throw rollbackFailed;
                }
                e.addSuppressed(rollbackFailed);
            }
            throw e;
        }
        transactions.commit(status);
        return answers;
    }

    /**
     * The database was found down: every change waiting (deferred or queued) fails now with the
     * same 503, instead of each batch waiting for a timeout of its own in turn. A stop request among
     * them is kept.
     */
    private void failWaiting(ArrayDeque<Pending> deferred, RuntimeException outage) {
        List<Pending> waiting = new ArrayList<>(deferred);
        deferred.clear();
        queue.drainTo(waiting);
        for (Pending pending : waiting) {
            if (pending == STOP) {
                stopping = true;
            } else {
                pending.answer().completeExceptionally(outage);
            }
        }
    }

    /**
     * The deferred changes first, then what is queued: one change per zone, the first change waited
     * for (unless stopping). A change of a zone already in the batch is deferred, and so is every
     * later change of that zone, so each zone's changes keep their order. Empty once stopping and
     * nothing is left.
     */
    private List<Pending> nextBatch(ArrayDeque<Pending> deferred) throws InterruptedException {
        List<Pending> batch = new ArrayList<>();
        Set<String> zoneIds = new HashSet<>();
        ArrayDeque<Pending> later = new ArrayDeque<>();
        Pending next = !deferred.isEmpty() ? deferred.poll() : stopping ? queue.poll() : queue.take();
        while (next != null) {
            if (next == STOP) {
                stopping = true;
            } else if (zoneIds.add(next.edit().zoneId())) {
                batch.add(next);
            } else {
                later.add(next);
            }
            if (batch.size() == MAX_BATCH) {
                break;
            }
            next = deferred.isEmpty() ? queue.poll() : deferred.poll();
        }
        later.addAll(deferred);
        deferred.clear();
        deferred.addAll(later);
        return batch;
    }

    /** Decides and writes the batch inside its transaction; returns how to answer each change once committed. */
    private List<Runnable> writeBatch(List<Pending> batch) {
        Set<String> zoneIds = new LinkedHashSet<>();
        batch.forEach(pending -> zoneIds.add(pending.edit().zoneId()));
        Map<String, Zone> locked = zones.lockAll(zoneIds);
        Map<String, Map<String, StoredSetting>> stored = settings.storedOf(locked.keySet());
        List<Runnable> answers = new ArrayList<>();
        List<Accepted> accepted = new ArrayList<>();
        for (Pending pending : batch) {
            try {
                Zone zone = locked.get(pending.edit().zoneId());
                if (zone == null || !pending.edit().scope().covers(zone.accountId(), zone.id())) {
                    throw ZoneRepository.notFound();
                }
                Accepted change = decide(pending, zone, new ZoneSettingState(zone.plan(), stored.getOrDefault(zone.id(), Map.of())));
                if (change.changed().isEmpty()) {
                    Applied<List<SettingView>> unchanged = Applied.unchanged(views(change, change.before()));
                    answers.add(() -> pending.answer().complete(unchanged));
                } else {
                    accepted.add(change);
                }
            } catch (ApiException refused) {
                answers.add(() -> pending.answer().completeExceptionally(refused));
            }
        }
        if (!accepted.isEmpty()) {
            answers.addAll(store(accepted));
        }
        return answers;
    }

    /** The checks of one change against its zone's current state; throws the refusal. */
    private static Accepted decide(Pending pending, Zone zone, ZoneSettingState before) {
        Edit edit = pending.edit();
        Map<Setting, SettingValue> requested = new LinkedHashMap<>();
        for (Item item : edit.items()) {
            Setting setting = RequestedValue.setting(item.settingId());
            requested.put(setting, RequestedValue.accept(setting, zone.plan(), item.value(), before.inEffect(setting)));
        }
        if (edit.ifMatch() != null) {
            Setting setting = requested.keySet().iterator().next();
            if (!matches(edit.ifMatch(), before.view(setting).etag())) {
                throw new ApiException(ApiErrorCode.PRECONDITION_FAILED,
                        "If-Match does not match the current ETag of " + setting.id());
            }
        }
        Map<Setting, SettingValue> changed = new LinkedHashMap<>();
        requested.forEach((setting, value) -> {
            if (!before.inEffect(setting).equals(value)) {
                changed.put(setting, value);
            }
        });
        return new Accepted(pending, zone, before, requested, changed);
    }

    /** Writes the accepted changes: values, then a revision each (in batch order), then audit rows. */
    private List<Runnable> store(List<Accepted> accepted) {
        List<ZoneSettingRepository.Write> writes = new ArrayList<>();
        for (Accepted change : accepted) {
            change.changed().forEach((setting, value) -> writes.add(new ZoneSettingRepository.Write(change.zone().id(), setting, value)));
        }
        Map<String, Map<String, Instant>> storedAt = settings.upsert(writes);
        List<ZoneSettingState> after = new ArrayList<>();
        List<ZoneConfig> configs = new ArrayList<>();
        for (Accepted change : accepted) {
            ZoneSettingState state = change.before();
            for (Map.Entry<Setting, SettingValue> entry : change.changed().entrySet()) {
                state = state.with(entry.getKey(), entry.getValue(), storedAt.get(change.zone().id()).get(entry.getKey().id()));
            }
            after.add(state);
            Zone zone = change.zone();
            configs.add(new ZoneConfig(zone.id(), zone.name(), zone.plan(), zone.origin(), zone.paused(), state.effective()));
        }
        long first = changeLog.appendUpserts(configs);
        List<AuditTrail.Attributed> events = new ArrayList<>();
        List<Runnable> answers = new ArrayList<>();
        for (int i = 0; i < accepted.size(); i++) {
            Accepted change = accepted.get(i);
            long revision = first + i;
            change.changed().forEach((setting, value) -> events.add(new AuditTrail.Attributed(
                    AuditEvent.of(change.zone().accountId(), AuditAction.ZONE_SETTING_EDITED).zone(change.zone().id())
                            .setting(setting.id())
                            .values(AuditEvent.value(change.before().inEffect(setting)), AuditEvent.value(value))
                            .revision(revision),
                    change.pending().edit().actor())));
            Applied<List<SettingView>> applied = new Applied<>(views(change, after.get(i)), revision);
            answers.add(() -> change.pending().answer().complete(applied));
        }
        audit.record(events);
        return answers;
    }

    private static List<SettingView> views(Accepted change, ZoneSettingState state) {
        return change.requested().keySet().stream().map(state::view).toList();
    }

    /** RFC 9110 If-Match: "*" or a list of strong entity tags, one of which must equal the current one. */
    static boolean matches(String ifMatch, String etag) {
        for (String candidate : ifMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*") || tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    /** Only after the web server stopped taking requests (it stops before this bean is destroyed). */
    private static IllegalStateException stoppedError() {
        return new IllegalStateException("the setting writer has stopped (the control plane is shutting down)");
    }

    /** Writes what is queued, then stops (after the web server stopped taking requests). */
    @Override
    public void destroy() throws InterruptedException {
        queue.add(STOP);
        writer.join(TimeUnit.SECONDS.toMillis(30));
        if (writer.isAlive()) {
            log.warn("setting writer still busy after 30 s at shutdown; interrupting it");
            writer.interrupt();
        }
    }
}
