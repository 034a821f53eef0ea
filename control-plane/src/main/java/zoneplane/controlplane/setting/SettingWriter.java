package zoneplane.controlplane.setting;

import zoneplane.controlplane.database.DatabaseFailures;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ExecutionException;
import javax.sql.DataSource;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import zoneplane.controlplane.database.DatabaseAvailability;
import zoneplane.controlplane.database.GroupCommit;
import zoneplane.controlplane.database.OneTransaction;

/**
 * Writes setting changes with group commit: request threads hand their {@link SettingChange} to one
 * writer thread ({@link GroupCommit}, keyed by zone) and wait; the writer hands every change that
 * queued up meanwhile, up to {@link #MAX_BATCH}, to {@link SettingBatch} in one transaction. Under
 * load a PATCH so costs a fraction of the statements, commits and WAL flushes it would alone; when
 * idle a batch is one change. If the transaction fails, nothing of it is written and each change is
 * tried again alone; if the database cannot be reached, every waiting change fails at once (503).
 * Meters: {@link SettingWriteMetrics}.
 */
@Component
class SettingWriter implements DisposableBean {

    /** Changes written in one transaction at most: bounds the statements' size and the lock hold time. */
    static final int MAX_BATCH = 64;

    private final DatabaseAvailability database;
    private final GroupCommit<SettingChange, SettingOutcome> commits;

    SettingWriter(SettingBatch batch, DataSource dataSource, DatabaseAvailability database, MeterRegistry meters) {
        this.database = database;
        // Its own plain manager on the same DataSource (see OneTransaction): a commit cut off by a
        // database outage is then not followed by a logged rollback attempt on the dead connection.
        OneTransaction transaction = new OneTransaction(dataSource, DatabaseFailures::isOutage);
        SettingWriteMetrics metrics = new SettingWriteMetrics(meters);
        this.commits = new GroupCommit<>("zoneplane-setting-writer", MAX_BATCH, SettingChange::zoneId,
                edits -> transaction.run(() -> batch.apply(edits)), this::failsEverything, metrics::batch);
        metrics.watch(commits);
    }

    /**
     * Writes the change (or refuses it) and returns its outcome, waiting for its batch to commit. Not
     * from inside a transaction: the writer's own could wait for a lock the caller's holds.
     */
    SettingOutcome write(SettingChange edit) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("setting changes are written by the setting writer, not inside a caller's transaction");
        }
        try {
            return commits.submit(edit).get();
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

    /** A database outage fails the batch and everything waiting, and is reported to the availability probe. */
    private boolean failsEverything(RuntimeException failure) {
        if (DatabaseFailures.isOutage(failure)) {
            database.failed(failure);
            return true;
        }
        return false;
    }

    /** Writes what is queued, then stops (after the web server stopped taking requests). */
    @Override
    public void destroy() throws InterruptedException {
        commits.close();
    }
}
