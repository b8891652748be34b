package com.fecify.gateway.security;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fecify.gateway.AnswerContract;
import com.fecify.gateway.FecifyGatewayApplication;
import com.fecify.gateway.GatewayHarness;
import com.fecify.gateway.LocalRedis;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two gateway instances share one caller's limit through a real redis-server on loopback (installed by .ci/run);
 * when Redis goes away they keep serving with their own buckets and say so, and share again when it is back.
 */
@ExtendWith(OutputCaptureExtension.class)
class SharedRateLimitTests {

    private static final Path REDIS = Path.of("/usr/bin/redis-server");

    static {
        // CI installs it (.ci/run); there, a missing server is a failure, not a skip
        if (System.getenv("CI") != null && !Files.isExecutable(REDIS)) {
            throw new IllegalStateException("CI must install redis-server");
        }
    }

    private final WireMockServer store = new WireMockServer(options().dynamicPort());
    private final List<ConfigurableApplicationContext> gateways = new ArrayList<>();
    private final HttpClient client = HttpClient.newHttpClient();
    private Process redis;
    private int redisPort;

    @AfterEach
    void stopAll() {
        gateways.forEach(ConfigurableApplicationContext::close);
        if (redis != null) {
            redis.destroyForcibly();
        }
        store.stop();
    }

    @Test
    void twoInstancesShareOneLimitAndSurviveRedisGoingAway(CapturedOutput output) throws Exception {
        startRedisAndStore();
        // a generous bound: this test is about sharing, and a loaded machine may take a while to answer the first calls
        int a = startGateway(1, redisPort, "--gateway.rate-limit.redis-timeout=1s");
        int b = startGateway(1, redisPort, "--gateway.rate-limit.redis-timeout=1s");
        // each connects to Redis in the background, answering from its own buckets meanwhile
        for (int port : new int[] {a, b}) {
            long connected = System.nanoTime() + 5_000_000_000L;
            while (!health(port).contains("shared (redis)") && System.nanoTime() < connected) {
                Thread.sleep(20);
            }
        }

        // one bucket of 1 for the caller, whichever instance it calls (per instance, it would be 2 answered)
        List<Integer> statuses = new ArrayList<>();
        for (int port : new int[] {a, b, a, b}) {
            statuses.add(update(port).statusCode());
        }
        assertThat(statuses).containsExactlyInAnyOrder(200, 429, 429, 429);
        assertThat(health(a)).contains("shared (redis)");

        // Redis goes away: both keep serving, each with its own bucket, and say so
        redis.destroyForcibly().waitFor();
        Thread.sleep(1100);
        List<Integer> withoutRedis = new ArrayList<>();
        for (int port : new int[] {a, b, a, b}) {
            withoutRedis.add(update(port).statusCode());
        }
        assertThat(withoutRedis)
                .as("answered from local buckets")
                .containsOnly(200, 429)
                .contains(200);
        assertThat(health(a)).contains("per instance: redis unreachable");
        assertThat(output.getOut()).contains("rate limits are per instance until it is back");

        // and back: shared again once the gateway retries Redis
        startRedis();
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!health(a).contains("shared (redis)") && System.nanoTime() < deadline) {
            update(a);
            Thread.sleep(500);
        }
        assertThat(health(a)).contains("shared (redis)");
    }

    /**
     * A Redis that takes connections and never answers (as a host behind a firewall that drops packets): connecting
     * to it must never hold a request thread, so every update is answered at once from the local buckets.
     */
    @Test
    void aRedisThatNeverAnswersHoldsNoRequest() throws Exception {
        store.start();
        store.stubFor(
                post(urlPathMatching(".*/update-customer")).willReturn(okJson(GatewayHarness.successEnvelopeFor(574))));
        List<Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept());
                    } catch (Exception closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            redisPort = silent.getLocalPort();
            int port = startGateway(1000);
            // the test's own client loads the OpenAPI contract on its first use: not part of what is measured
            update(port);

            // many callers at once, twice, a few seconds apart (the gateway retries Redis every few seconds)
            for (int round = 0; round < 2; round++) {
                List<java.util.concurrent.CompletableFuture<Long>> calls = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    calls.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                        long start = System.nanoTime();
                        try {
                            assertThat(update(port).statusCode()).isEqualTo(200);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        return (System.nanoTime() - start) / 1_000_000;
                    }));
                }
                long slowest = calls.stream()
                        .mapToLong(java.util.concurrent.CompletableFuture::join)
                        .max()
                        .orElseThrow();
                assertThat(slowest).as("slowest of 16 concurrent updates, ms").isLessThan(400);
                Thread.sleep(3_500);
            }
            acceptor.interrupt();
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    /**
     * A Redis 20 ms away each way (a compare-and-swap takes two round trips): one busy caller on 32 connections
     * must not hold the request threads, another caller's updates are answered as quickly as without Redis, health says
     * the shared buckets are degraded, and a batch whose caller leaves sends nothing more.
     */
    @Test
    void aSlowRedisHoldsNoRequestThreadAndShowsAsDegraded(CapturedOutput output) throws Exception {
        startRedisAndStore();
        try (SlowLink link = new SlowLink(redisPort, 20)) {
            int port = startGateway(
                    100_000,
                    link.port(),
                    "--server.tomcat.threads.max=8",
                    "--gateway.clients.busy.key-sha256=" + GatewayHarness.sha256("busy-key"),
                    "--gateway.clients.paced.key-sha256=" + GatewayHarness.sha256("paced-key"),
                    "--gateway.clients.paced.rate-per-second=20");
            long connected = System.nanoTime() + 5_000_000_000L;
            while (!health(port).contains("shared (redis)") && System.nanoTime() < connected) {
                Thread.sleep(20);
            }

            // the same load on a gateway with its own buckets only, in the same run: the baseline
            int alone = startGatewayWithoutRedis(
                    "--server.tomcat.threads.max=8",
                    "--gateway.clients.busy.key-sha256=" + GatewayHarness.sha256("busy-key"));
            List<Long> baseline = anotherCallerUnderLoad(alone);
            List<Long> calm = anotherCallerUnderLoad(port);
            long median = calm.get(calm.size() / 2);
            long baselineMedian = baseline.get(baseline.size() / 2);
            System.out.printf(
                    "another caller under load, median ms: %d with Redis 20 ms away, %d without Redis%n",
                    median, baselineMedian);
            assertThat(median)
                    .as("median of another caller's updates, ms (without Redis: %d)", baselineMedian)
                    .isLessThanOrEqualTo(2 * baselineMedian + 50);
            // against the same run's baseline too: on a busy machine (another build beside CI) the slowest once took
            // 2.3 s
            long baselineSlowest = baseline.get(baseline.size() - 1);
            assertThat(calm.get(calm.size() - 1))
                    .as("slowest of them, ms (without Redis: %d)", baselineSlowest)
                    .isLessThan(1_500 + baselineSlowest);
            assertThat(health(port)).contains("\"state\":\"degraded\"", "redis slow");
            assertThat(output.getOut()).contains("is slow: no answer within 50 ms");

            // a batch of 100 at 20 a second whose caller leaves after its first lines: nothing more is sent
            store.resetRequests();
            StringBuilder body = new StringBuilder("{\"updates\":[");
            for (int id = 1; id <= 100; id++) {
                body.append(id == 1 ? "" : ",").append("{\"id\":").append(id).append(",\"note\":\"n\"}");
            }
            body.append("]}");
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream()
                        .write(("POST /v1/customers/batch HTTP/1.1\r\nHost: x\r\nX-API-Key: paced-key\r\n"
                                        + "Content-Type: application/json\r\nContent-Length: " + body.length()
                                        + "\r\n\r\n" + body)
                                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(
                        socket.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
                int lines = 0;
                while (lines < 3) {
                    String line = in.readLine();
                    assertThat(line).as("the stream goes on").isNotNull();
                    if (line.startsWith("{\"index\"")) {
                        lines++;
                    }
                }
                socket.setSoLinger(true, 0);
            }
            Thread.sleep(1_000);
            int sentSoon = store.findAll(postRequestedFor(urlPathMatching(".*/update-customer")))
                    .size();
            Thread.sleep(1_500);
            int sentLater = store.findAll(postRequestedFor(urlPathMatching(".*/update-customer")))
                    .size();
            assertThat(sentLater).as("store calls after the caller left").isEqualTo(sentSoon);
            assertThat(sentSoon).isLessThan(100);
        }
    }

    /** 20 updates of caller "k", one after another, while caller "busy" keeps 32 connections busy: sorted ms. */
    private List<Long> anotherCallerUnderLoad(int port) throws Exception {
        update(port);
        java.util.concurrent.ExecutorService busy = java.util.concurrent.Executors.newFixedThreadPool(32);
        java.util.concurrent.atomic.AtomicBoolean going = new java.util.concurrent.atomic.AtomicBoolean(true);
        List<Long> calm = new ArrayList<>();
        try {
            for (int i = 0; i < 32; i++) {
                busy.submit(() -> {
                    while (going.get()) {
                        update(port, "busy-key");
                    }
                    return null;
                });
            }
            Thread.sleep(1_000);
            for (int i = 0; i < 20; i++) {
                long start = System.nanoTime();
                assertThat(update(port, "k").statusCode()).isEqualTo(200);
                calm.add((System.nanoTime() - start) / 1_000_000);
            }
        } finally {
            going.set(false);
            busy.shutdown();
            busy.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        calm.sort(null);
        return calm;
    }

    /** A real redis-server on a free port (skipped where it is not installed) and a store that accepts updates. */
    private void startRedisAndStore() throws Exception {
        assumeTrue(Files.isExecutable(REDIS), "redis-server is not installed (apt-get install redis-server)");
        redisPort = GatewayHarness.freePort();
        startRedis();
        store.start();
        store.stubFor(
                post(urlPathMatching(".*/update-customer")).willReturn(okJson(GatewayHarness.successEnvelopeFor(574))));
    }

    private void startRedis() throws Exception {
        redis = LocalRedis.start(redisPort);
    }

    private int startGateway(int perSecond) {
        return startGateway(perSecond, redisPort);
    }

    /** A gateway with per-instance buckets only. */
    private int startGatewayWithoutRedis(String... extra) {
        return startGateway(100_000, null, extra);
    }

    /**
     * A gateway whose Redis is at {@code redisAt} (none when null); {@code extra} arguments come last, so they win.
     */
    private int startGateway(int perSecond, @Nullable Integer redisAt, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--management.server.port=0",
                "--spring.application.name=gateway-" + gateways.size(),
                "--fecify.base-url=" + store.baseUrl(),
                "--fecify.access-token=store-token-for-tests",
                "--gateway.api-keys=billing:" + GatewayHarness.sha256("k"),
                "--gateway.rate-limit.per-second=" + perSecond));
        if (redisAt != null) {
            args.add("--gateway.rate-limit.redis-url=redis://127.0.0.1:" + redisAt);
        }
        args.addAll(List.of(extra));
        ConfigurableApplicationContext context =
                new SpringApplicationBuilder(FecifyGatewayApplication.class).run(args.toArray(String[]::new));
        gateways.add(context);
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    private HttpResponse<String> update(int port) throws Exception {
        return update(port, "k");
    }

    private HttpResponse<String> update(int port, String key) throws Exception {
        return AnswerContract.send(
                client,
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/customers/574"))
                        .header("X-API-Key", key)
                        .header("Content-Type", "application/json")
                        .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"first_name\":\"x\"}"))
                        .build());
    }

    private String health(int apiPort) throws Exception {
        ConfigurableApplicationContext context = gateways.stream()
                .filter(c -> Integer.toString(apiPort).equals(c.getEnvironment().getProperty("local.server.port")))
                .findFirst()
                .orElseThrow();
        String management = context.getEnvironment().getProperty("local.management.port");
        return AnswerContract.send(
                        client,
                        HttpRequest.newBuilder(URI.create("http://localhost:" + management + "/actuator/health"))
                                .build())
                .body();
    }
}
