package zoneplane.controlplane.database;

import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.DefaultTransactionDefinition;

/**
 * Runs work in one transaction of its own plain manager on the application's DataSource (so the
 * repositories join it). A rollback that fails after the database could not be reached (the
 * connection is gone with the transaction) is expected: the outage is what the caller gets, without
 * the ERROR and stack trace that Spring's JdbcTransactionManager and transaction template log for
 * each such rollback.
 */
public final class OneTransaction {

    private final PlatformTransactionManager transactions;
    private final Predicate<Throwable> outage;

    /** {@code outage} tells a failure that means the database cannot be reached. */
    public OneTransaction(DataSource dataSource, Predicate<Throwable> outage) {
        this.transactions = new DataSourceTransactionManager(dataSource);
        this.outage = outage;
    }

    /** {@code work}'s result once committed; anything it throws rolls the transaction back and is rethrown. */
    public <T> T run(Supplier<T> work) {
        TransactionStatus status = transactions.getTransaction(new DefaultTransactionDefinition());
        T result;
        try {
            result = work.get();
        } catch (RuntimeException | Error e) {
            try {
                transactions.rollback(status);
            } catch (RuntimeException rollbackFailed) {
                if (!outage.test(e)) {
                    rollbackFailed.addSuppressed(e);
                    throw rollbackFailed;
                }
                e.addSuppressed(rollbackFailed);
            }
            throw e;
        }
        transactions.commit(status);
        return result;
    }
}
