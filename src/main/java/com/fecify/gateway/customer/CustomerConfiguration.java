package com.fecify.gateway.customer;

import com.fecify.gateway.UpdatableFields;
import com.fecify.gateway.upstream.FecifyProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.AsyncSupportConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The update flow's settings. How long Spring MVC waits for an update's store call: a backstop a little longer than the call's own timeout, so
 * callers get the gateway's 504 {@code upstream_timeout} from the call rather than the container's.
 */
@Configuration(proxyBeanMethods = false)
class CustomerConfiguration implements WebMvcConfigurer {

    private final long timeoutMillis;

    CustomerConfiguration(FecifyProperties properties) {
        this.timeoutMillis = properties.responseTimeout().toMillis() + 5_000;
    }

    /** The field names, for the checks of callers' configured field lists. */
    @Bean
    UpdatableFields updatableFields() {
        return new UpdatableFields(UpdateFields.names());
    }

    @Override
    public void configureAsyncSupport(AsyncSupportConfigurer configurer) {
        configurer.setDefaultTimeout(timeoutMillis);
    }
}
