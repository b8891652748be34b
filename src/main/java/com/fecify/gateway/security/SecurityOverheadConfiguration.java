package com.fecify.gateway.security;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.observation.SecurityObservationSettings;
import reactor.core.publisher.Hooks;

/** What Spring Security would do on every request that the gateway has no use for, turned off. */
@Configuration(proxyBeanMethods = false)
class SecurityOverheadConfiguration {

    /**
     * No observation (span, timer) per security filter, authentication or authorization: one per filter cost about
     * 0.7 ms of CPU per request (measured with {@code bench/}); the HTTP server and client observations stay on.
     * Without this bean Spring Security also wraps every filter in an observation decorator, even when the
     * observations themselves are turned off.
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /**
     * Spring Security hooks into every Reactor pipeline to copy the caller's security context into it, for OAuth2
     * clients on WebClient, which the gateway does not have: nothing of the caller's travels to the store. The hook ran
     * on each subscription of the store call, about 3 % of the CPU per update (JFR, {@code bench/}); it is removed once
     * Spring Security has installed it.
     */
    @Bean
    SmartInitializingSingleton noSecurityContextInReactor() {
        return () -> Hooks.resetOnLastOperator("org.springframework.security.SECURITY_REACTOR_CONTEXT_OPERATOR");
    }
}
