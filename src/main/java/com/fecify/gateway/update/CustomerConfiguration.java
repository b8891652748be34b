package com.fecify.gateway.update;

import com.fecify.gateway.UpdatableFields;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What the update flow offers the rest of the gateway. */
@Configuration(proxyBeanMethods = false)
class CustomerConfiguration {

    /** The field names, for the checks of callers' configured field lists. */
    @Bean
    UpdatableFields updatableFields() {
        return new UpdatableFields(UpdateFields.names());
    }
}
