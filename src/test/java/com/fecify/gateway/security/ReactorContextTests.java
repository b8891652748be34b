package com.fecify.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fecify.gateway.GatewayTestSupport;
import java.util.List;
import org.junit.jupiter.api.Test;
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

    @Test
    void aPipelineStartedOnARequestThreadCarriesNothingOfTheCaller() {
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(new MockHttpServletRequest()));
        SecurityContextHolder.getContext()
                .setAuthentication(UsernamePasswordAuthenticationToken.authenticated("caller", null, List.of()));
        try {
            Boolean copied = Mono.deferContextual(context ->
                            Mono.just(context.hasKey("org.springframework.security.SECURITY_CONTEXT_ATTRIBUTES")))
                    .block();
            assertThat(copied).isFalse();
        } finally {
            SecurityContextHolder.clearContext();
            RequestContextHolder.resetRequestAttributes();
        }
    }
}
