package com.fecify.gateway;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The default configuration; every subclass shares one application context. */
public abstract class GatewayTestSupport extends GatewayHarness {

    @DynamicPropertySource
    static void gatewayProperties(DynamicPropertyRegistry registry) {
        defaults(registry);
    }
}
