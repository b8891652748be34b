package com.fecify.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fecify.gateway.GatewayHarness;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A store whose port refuses connections: 502 upstream_unavailable after the retries, never a hang. */
class UnreachableStoreTests extends GatewayHarness {

    @DynamicPropertySource
    static void deadStore(DynamicPropertyRegistry registry) {
        defaults(registry);
        int port = freePort();
        registry.add("fecify.base-url", () -> "http://127.0.0.1:" + port + "/shop");
    }

    @Test
    void connectionRefusedIs502UpstreamUnavailable() {
        long start = System.nanoTime();
        patch(574, "{\"first_name\":\"x\"}")
                .expectStatus()
                .isEqualTo(502)
                .expectBody()
                .jsonPath("$.code")
                .isEqualTo("upstream_unavailable")
                .jsonPath("$.detail")
                .value(String.class, d -> assertThat(d).doesNotContain("127.0.0.1"));
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1000);
    }
}
