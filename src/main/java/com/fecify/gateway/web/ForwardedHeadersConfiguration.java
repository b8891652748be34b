package com.fecify.gateway.web;

import com.fecify.gateway.FilterOrders;
import jakarta.servlet.DispatcherType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.ForwardedHeaderFilter;

/**
 * {@code X-Forwarded-*} and {@code Forwarded} from a caller are not trusted: Spring's {@link ForwardedHeaderFilter}
 * removes them (remove-only) before anything builds a URL from them (Swagger UI's configuration did, echoing a
 * caller's {@code X-Forwarded-Host}). With {@code server.forward-headers-strategy=framework} Spring Boot registers
 * the same filter to apply them instead, for a deployment behind a proxy it trusts; with {@code native}, Tomcat has
 * applied them before this filter runs.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${server.forward-headers-strategy:none}'.toLowerCase() != 'framework'")
class ForwardedHeadersConfiguration {

    @Bean
    FilterRegistrationBean<ForwardedHeaderFilter> untrustedForwardedHeaders() {
        ForwardedHeaderFilter filter = new ForwardedHeaderFilter();
        filter.setRemoveOnly(true);
        FilterRegistrationBean<ForwardedHeaderFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
        registration.setOrder(FilterOrders.FORWARDED_HEADERS);
        return registration;
    }
}
