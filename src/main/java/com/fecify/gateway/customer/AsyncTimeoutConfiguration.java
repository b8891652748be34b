package com.fecify.gateway.customer;

import com.fecify.gateway.upstream.FecifyProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.AsyncSupportConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Lets a request wait for the store a little longer than the upstream response timeout, so callers get the
 * gateway's own 504 {@code upstream_timeout} rather than the servlet container's async timeout.
 */
@Configuration(proxyBeanMethods = false)
class AsyncTimeoutConfiguration implements WebMvcConfigurer {

    private final FecifyProperties fecify;

    AsyncTimeoutConfiguration(FecifyProperties fecify) {
        this.fecify = fecify;
    }

    @Override
    public void configureAsyncSupport(AsyncSupportConfigurer configurer) {
        configurer.setDefaultTimeout(fecify.responseTimeout().toMillis() + 5_000);
    }
}
