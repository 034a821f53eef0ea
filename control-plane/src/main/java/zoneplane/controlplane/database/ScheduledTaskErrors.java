package zoneplane.controlplane.database;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.task.SimpleAsyncTaskSchedulerCustomizer;
import org.springframework.boot.task.ThreadPoolTaskSchedulerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ErrorHandler;

/**
 * A scheduled task (bucket cleanup, compaction, node bookkeeping) that fails because the database
 * cannot be reached is no ERROR with a stack trace on every run: {@link DatabaseAvailability} says
 * "Database down" once, and the task's next run after the outage catches up. Other failures are
 * logged as Spring does by default.
 */
@Configuration(proxyBeanMethods = false)
class ScheduledTaskErrors {

    private static final Logger log = LoggerFactory.getLogger(ScheduledTaskErrors.class);

    static final ErrorHandler QUIET_DURING_OUTAGES = error -> {
        if (DatabaseFailures.isOutage(error) || DatabaseFailures.timedOut(error)) {
            log.debug("scheduled task skipped, the database is unavailable: {}", error.toString());
        } else {
            log.error("Unexpected error occurred in scheduled task", error);
        }
    };

    @Bean
    ThreadPoolTaskSchedulerCustomizer quietDuringOutages() {
        return scheduler -> scheduler.setErrorHandler(QUIET_DURING_OUTAGES);
    }

    @Bean
    SimpleAsyncTaskSchedulerCustomizer quietDuringOutagesOnVirtualThreads() {
        return scheduler -> scheduler.setErrorHandler(QUIET_DURING_OUTAGES);
    }
}
