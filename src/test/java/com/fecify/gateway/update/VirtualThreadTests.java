package com.fecify.gateway.update;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fecify.gateway.GatewayHarness;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An update waits for the store on its request thread, and on JDK 21 and later (the image runs JDK 25) that thread is
 * virtual: 300 updates waiting a second each on a slow store are all answered in about a second, though Tomcat has
 * only 8 platform threads here (with platform request threads they would take 300 / 8 seconds). On JDK 17 there are no
 * virtual threads, so this class runs where the JDK has them: {@code .ci/run} runs it on the image's JDK 25.
 */
@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need JDK 21+; .ci/run runs this on JDK 25")
class VirtualThreadTests extends GatewayHarness {

    private static final int UPDATES = 300;

    /** A store that can hold hundreds of delayed answers at once without a thread each. */
    private static final WireMockServer slowStore = new WireMockServer(options()
            .dynamicPort()
            .containerThreads(64)
            .asynchronousResponseEnabled(true)
            .asynchronousResponseThreads(4));

    static {
        slowStore.start();
    }

    @AfterAll
    static void stopStore() {
        slowStore.stop();
    }

    @DynamicPropertySource
    static void fewPlatformThreads(DynamicPropertyRegistry registry) {
        defaults(registry);
        registry.add("fecify.base-url", () -> slowStore.baseUrl() + "/apimanager666/");
        registry.add("fecify.response-timeout", () -> "5s");
        registry.add("fecify.max-concurrent-requests", () -> String.valueOf(UPDATES));
        registry.add("fecify.max-concurrent-requests-per-caller", () -> String.valueOf(UPDATES));
        registry.add("server.tomcat.threads.max", () -> "8");
    }

    @Test
    void updatesWaitingForTheStoreHoldNoPlatformThread() {
        slowStore.stubFor(
                post(STORE_PATH).willReturn(okJson(successEnvelope(574)).withFixedDelay(1000)));
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        long start = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> updates = new ArrayList<>();
        for (int i = 0; i < UPDATES; i++) {
            updates.add(client.sendAsync(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/customers/574"))
                            .header("X-API-Key", UNLIMITED_KEY)
                            .header("Content-Type", "application/json")
                            .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"note\":\"vip\"}"))
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        List<Integer> statuses =
                updates.stream().map(u -> u.join().statusCode()).toList();
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(statuses).as("every update answered by the store").containsOnly(200);
        assertThat(tookMillis)
                .as("300 waits of a second on 8 platform threads would take 38 s")
                .isLessThan(10_000);
    }
}
