package zoneplane.controlplane.database;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Work that must happen only once the current transaction has committed (never after a rollback). */
public final class AfterCommit {

    private AfterCommit() {}

    /** Runs {@code action} after the current transaction commits; fails outside a transaction. */
    public static void run(Runnable action) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                action.run();
            }
        });
    }
}
