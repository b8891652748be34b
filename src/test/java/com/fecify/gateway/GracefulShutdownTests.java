package com.fecify.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * SIGTERM (a context close): readiness goes down first, the update in flight finishes and is answered, new
 * connections are refused at once.
 */
class GracefulShutdownTests {

    private final WireMockServer store = new WireMockServer(options().dynamicPort());
    private ConfigurableApplicationContext context;

    @AfterEach
    void stopAll() {
        if (context != null && context.isActive()) {
            context.close();
        }
        store.stop();
    }

    @Test
    void inFlightUpdateFinishesAndNewOnesAreRefused() throws Exception {
        store.start();
        store.stubFor(post(WireMock.urlPathMatching(".*/update-customer"))
                .willReturn(okJson(GatewayHarness.successEnvelopeFor(574)).withFixedDelay(1500)));
        context = new SpringApplicationBuilder(FecifyGatewayApplication.class)
                .run(
                        "--server.port=0",
                        "--management.server.port=0",
                        "--fecify.base-url=" + store.baseUrl(),
                        "--fecify.access-token=t",
                        "--gateway.api-keys=billing:" + GatewayHarness.sha256("k"));
        AtomicLong refusingTrafficAt = new AtomicLong();
        context.addApplicationListener((ApplicationListener<AvailabilityChangeEvent<?>>) event -> {
            if (event.getState() == ReadinessState.REFUSING_TRAFFIC) {
                refusingTrafficAt.compareAndSet(0, System.nanoTime());
            }
        });
        int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
        HttpClient client = HttpClient.newHttpClient();

        CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(
                        update(port), HttpResponse.BodyHandlers.ofString())
                .thenApply(AnswerContract::checked);
        // when the answer arrived, not when this thread looked
        CompletableFuture<Long> answered = inFlight.thenApply(response -> System.nanoTime());
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (store.getAllServeEvents().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(store.getAllServeEvents()).as("the update reached the store").hasSize(1);

        Thread closing = new Thread(context::close);
        closing.start();
        // readiness goes down first, then the server stops taking connections: a new caller is refused by then
        IOException refused = null;
        long closingDeadline = System.nanoTime() + 5_000_000_000L;
        while (refused == null && System.nanoTime() < closingDeadline) {
            try (java.net.Socket accepted = new java.net.Socket("localhost", port)) {
                Thread.sleep(20);
            } catch (IOException e) {
                refused = e;
            }
        }
        assertThat(refused).as("a new connection during shutdown is refused").isNotNull();
        assertThat(inFlight)
                .as("while the update in flight is still waiting for the store")
                .isNotDone();
        HttpResponse<String> answer = inFlight.get();
        long answeredAt = answered.get();
        closing.join(30_000);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"id\":574");
        assertThat(refusingTrafficAt.get()).as("readiness went down").isPositive();
        assertThat(refusingTrafficAt.get()).as("before the update was answered").isLessThan(answeredAt);
        assertThat(context.isActive()).isFalse();
    }

    private static HttpRequest update(int port) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/customers/574"))
                .header("X-API-Key", "k")
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"first_name\":\"x\"}"))
                .build();
    }
}
