package com.fecify.gateway.store;

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

/**
 * At most {@code fecify.max-concurrent-requests} calls in flight, and at most a caller's share of them per caller
 * ({@code fecify.max-concurrent-requests-per-caller}, half by default): the next call gets 503 at once, not a queue,
 * and no caller's calls, a batch's included, keep another caller out.
 */
class UpstreamProtectionTests extends GatewayHarness {

    @DynamicPropertySource
    static void fourInFlight(DynamicPropertyRegistry registry) {
        defaults(registry);
        registry.add("fecify.max-concurrent-requests", () -> "4");
        registry.add("fecify.response-timeout", () -> "3s");
    }

    @Test
    void refusesCallsBeyondTheConcurrencyLimitAtOnceWithRetryAfter() {
        fecify.stubFor(post(STORE_PATH).willReturn(okJson(successEnvelope(574)).withFixedDelay(1500)));
        HttpClient client = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
        for (String key : List.of(KEY, KEY, "other-key", "other-key")) {
            slow.add(client.sendAsync(request(key), HttpResponse.BodyHandlers.ofString())
                    .thenApply(AnswerContract::checked));
        }
        await(() -> storeCalls() == 4);

        long start = System.nanoTime();
        HttpResponse<String> refused =
                AnswerContract.checked(client.sendAsync(request(UNLIMITED_KEY), HttpResponse.BodyHandlers.ofString())
                        .join());
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).contains("1");
        assertThat(refused.body()).contains("\"code\":\"upstream_unavailable\"", "Too many calls to the store");
        assertThat(tookMillis).as("answered without waiting for a slot").isLessThan(1000);
        assertThat(slow).allSatisfy(f -> assertThat(f.join().statusCode()).isEqualTo(200));
        assertThat(storeCalls()).isEqualTo(4);
    }

    /**
     * One caller's batch wants four calls at once and its single update a fifth: it holds two (its share of four),
     * the rest of its calls are refused or wait, and another caller's update goes through at once.
     */
    @Test
    void oneCallerHoldsAtMostItsShareOfTheCallsInFlight() {
        fecify.stubFor(post(STORE_PATH).willReturn(okJson(successEnvelope(574)).withFixedDelay(1500)));
        HttpClient client = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<String>> batch = client.sendAsync(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/customers/batch"))
                        .header("X-API-Key", UNLIMITED_KEY)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"updates\":[{\"id\":1,\"note\":\"a\"},"
                                + "{\"id\":2,\"note\":\"b\"},{\"id\":3,\"note\":\"c\"},{\"id\":4,\"note\":\"d\"}]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        await(() -> storeCalls() >= 2);

        HttpResponse<String> overShare =
                AnswerContract.checked(client.sendAsync(request(UNLIMITED_KEY), HttpResponse.BodyHandlers.ofString())
                        .join());
        assertThat(overShare.statusCode()).isEqualTo(503);
        assertThat(overShare.body()).contains("its share");

        HttpResponse<String> other =
                AnswerContract.checked(client.sendAsync(request(KEY), HttpResponse.BodyHandlers.ofString())
                        .join());
        assertThat(other.statusCode())
                .as("another caller, while the batch holds its share")
                .isEqualTo(200);

        String lines = batch.join().body();
        // the batch's items beyond its share got 503 lines, as a single update would
        assertThat(lines).contains("\"summary\":{\"total\":4");
        assertThat(lines.lines().filter(line -> line.contains("\"status\":200")))
                .hasSizeGreaterThanOrEqualTo(2);
    }

    private HttpRequest request(String key) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/customers/574"))
                .header("X-API-Key", key)
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
