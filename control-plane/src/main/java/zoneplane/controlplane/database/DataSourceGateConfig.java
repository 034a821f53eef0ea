package zoneplane.controlplane.database;

import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Puts every connection pool the context makes behind the {@link GatedDataSource}. */
@Configuration(proxyBeanMethods = false)
class DataSourceGateConfig {

    @Bean
    static BeanPostProcessor databaseGate(ObjectProvider<DatabaseAvailability> availability) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof DataSource pool && !(bean instanceof GatedDataSource)
                        ? new GatedDataSource(pool, availability) : bean;
            }
        };
    }
}
