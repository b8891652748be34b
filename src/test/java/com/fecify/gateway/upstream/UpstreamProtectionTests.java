package com.fecify.gateway.upstream;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fecify.gateway.AnswerContract;
import com.fecify.gateway.GatewayHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** At most {@code fecify.max-concurrent-requests} calls in flight: the next caller gets 503 at once, not a queue. */
class UpstreamProtectionTests extends GatewayHarness {

    @DynamicPropertySource
    static void twoInFlight(DynamicPropertyRegistry registry) {
        defaults(registry);
        registry.add("fecify.max-concurrent-requests", () -> "2");
        registry.add("fecify.response-timeout", () -> "3s");
    }

    @Test
    void refusesCallsBeyondTheConcurrencyLimitAtOnceWithRetryAfter() {
        fecify.stubFor(post(STORE_PATH).willReturn(okJson(successEnvelope(574)).withFixedDelay(1500)));
        HttpClient client = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            slow.add(client.sendAsync(request(), HttpResponse.BodyHandlers.ofString())
                    .thenApply(AnswerContract::checked));
        }
        await(() -> storeCalls() == 2);

        long start = System.nanoTime();
        HttpResponse<String> refused =
                AnswerContract.checked(client.sendAsync(request(), HttpResponse.BodyHandlers.ofString())
                        .join());
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).contains("1");
        assertThat(refused.body()).contains("\"code\":\"upstream_unavailable\"");
        assertThat(tookMillis).as("answered without waiting for a slot").isLessThan(1000);
        assertThat(slow).allSatisfy(f -> assertThat(f.join().statusCode()).isEqualTo(200));
        assertThat(storeCalls()).isEqualTo(2);
    }

    private HttpRequest request() {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/customers/574"))
                .header("X-API-Key", KEY)
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"first_name\":\"x\"}"))
                .build();
    }

    private static void await(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition in time").isLessThan(deadline);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
