package com.fecify.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fecify.gateway.GatewayTestSupport;
import java.lang.reflect.Constructor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import reactor.core.publisher.Mono;

/**
 * Spring Security installs a Reactor hook that copies the caller's request and authentication into every Reactor
 * pipeline started on a request thread; the gateway removes it (it cost about 3 % of the CPU per update, and nothing of
 * the caller's belongs in the store call). The hook is found by its key, which Spring Security keeps private: this
 * test fails if a Spring Security upgrade renames it.
 */
class ReactorContextTests extends GatewayTestSupport {

    @Autowired
    ApplicationContext context;

    @Test
    void aPipelineStartedOnARequestThreadCarriesNothingOfTheCaller() {
        assertThat(callerCopiedIntoPipeline()).isFalse();
    }

    /**
     * The positive control: Spring Security's own hook, installed again, is seen by the same check, and the gateway's
     * removal (the bean that runs once the context is up) takes it out again.
     */
    @Test
    void springSecuritysHookIsSeenByTheCheckAndRemovedByTheGateway() throws Exception {
        Class<?> registrarType = Class.forName("org.springframework.security.config.annotation.web.configuration"
                + ".SecurityReactorContextConfiguration$SecurityReactorContextSubscriberRegistrar");
        Constructor<?> constructor = registrarType.getDeclaredConstructor();
        constructor.setAccessible(true);
        InitializingBean registrar = (InitializingBean) constructor.newInstance();
        registrar.afterPropertiesSet();
        try {
            assertThat(callerCopiedIntoPipeline())
                    .as("with Spring Security's hook")
                    .isTrue();
        } finally {
            context.getBean("noSecurityContextInReactor", SmartInitializingSingleton.class)
                    .afterSingletonsInstantiated();
        }
        assertThat(callerCopiedIntoPipeline())
                .as("after the gateway removed it")
                .isFalse();
    }

    private static boolean callerCopiedIntoPipeline() {
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(new MockHttpServletRequest()));
        SecurityContextHolder.getContext()
                .setAuthentication(UsernamePasswordAuthenticationToken.authenticated("caller", null, List.of()));
        try {
            return Boolean.TRUE.equals(Mono.deferContextual(context ->
                            Mono.just(context.hasKey("org.springframework.security.SECURITY_CONTEXT_ATTRIBUTES")))
                    .block());
        } finally {
            SecurityContextHolder.clearContext();
            RequestContextHolder.resetRequestAttributes();
        }
    }
}
