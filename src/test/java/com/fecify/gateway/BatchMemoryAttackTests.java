package com.fecify.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The batch route's memory attacks against a gateway in a JVM of its own, launched with the image's memory flags
 * (Dockerfile: {@code -XX:MaxRAM=768m -XX:MaxRAMPercentage=40 -XX:+ExitOnOutOfMemoryError}, the manifest's limit): a
 * keyed caller limited to 5 updates a second sends 150 batch heads announcing a megabyte each, then another caller
 * sends 700 dry-run batches of 500 items at once. The gateway stays up and answers a third caller within a second.
 */
class BatchMemoryAttackTests {

    private final WireMockServer store = new WireMockServer(options().dynamicPort());
    private final List<Socket> sockets = new ArrayList<>();
    private Process gateway;

    @AfterEach
    void stopAll() throws Exception {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (gateway != null) {
            gateway.destroy();
            if (!gateway.waitFor(20, TimeUnit.SECONDS)) {
                gateway.destroyForcibly();
            }
        }
        store.stop();
    }

    @Test
    void batchHeadsAndManyBatchesLeaveTheGatewayUp() throws Exception {
        store.start();
        store.stubFor(
                post(urlPathMatching(".*/update-customer")).willReturn(okJson(GatewayHarness.successEnvelopeFor(574))));
        int port = GatewayHarness.freePort();
        Path log = Files.createTempFile("batch-memory-attack", ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        gateway = new ProcessBuilder(
                        java,
                        "-XX:MaxRAM=768m",
                        "-XX:MaxRAMPercentage=40",
                        "-XX:+ExitOnOutOfMemoryError",
                        "-cp",
                        System.getProperty("java.class.path"),
                        FecifyGatewayApplication.class.getName(),
                        "--server.port=" + port,
                        "--management.server.port=" + GatewayHarness.freePort(),
                        "--fecify.base-url=" + store.baseUrl(),
                        "--fecify.access-token=store-token-for-the-attack",
                        "--gateway.rate-limit.per-second=5",
                        "--gateway.api-keys=attacker:" + GatewayHarness.sha256("attacker-key") + ",other:"
                                + GatewayHarness.sha256("other-key"),
                        "--gateway.clients.bulk.key-sha256=" + GatewayHarness.sha256("bulk-key"),
                        "--gateway.clients.bulk.rate-per-second=100000",
                        "--logging.level.fecify.audit=WARN")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        awaitFirstAnswer(port);
        // the first updates of a cold JVM are slow on their own: not what is measured here
        for (int i = 0; i < 5; i++) {
            update(port);
        }

        // attack 2: 150 batch heads announcing 1 MiB, 12 bytes sent, from a caller limited to 5 updates a second
        for (int i = 0; i < 150; i++) {
            Socket socket = new Socket("127.0.0.1", port);
            sockets.add(socket);
            socket.getOutputStream()
                    .write(("POST /v1/customers/batch HTTP/1.1\r\nHost: x\r\nX-API-Key: attacker-key\r\n"
                                    + "Content-Type: application/json\r\nContent-Length: 1048576\r\n\r\n{\"updates\":[")
                            .getBytes(StandardCharsets.US_ASCII));
        }
        Thread.sleep(1_000);
        assertAnswersAnotherCallerAtOnce(port, log);
        // four heads are let in (and hold a chunk each), the rest were refused at once
        int refused = 0;
        for (Socket socket : sockets) {
            socket.setSoTimeout(200);
            try {
                String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                if (status.equals("HTTP/1.1 429")) {
                    refused++;
                }
            } catch (java.net.SocketTimeoutException held) {
                // one of the caller's four
            }
        }
        assertThat(refused).isEqualTo(146);

        // attack 3: 700 dry-run batches of 500 tiny items at once (about 12 MB in all)
        String batch = IntStream.rangeClosed(1, 500)
                .mapToObj(id -> "{\"id\":" + id + ",\"note\":\"n\"}")
                .collect(Collectors.joining(",", "{\"updates\":[", "]}"));
        byte[] request = ("POST /v1/customers/batch?dry_run=true HTTP/1.1\r\nHost: x\r\nX-API-Key: bulk-key\r\n"
                        + "Content-Type: application/json\r\nContent-Length: " + batch.length() + "\r\n\r\n" + batch)
                .getBytes(StandardCharsets.US_ASCII);
        ExecutorService senders = Executors.newFixedThreadPool(100);
        List<Future<String>> statuses = new ArrayList<>();
        for (int i = 0; i < 700; i++) {
            statuses.add(senders.submit(() -> send(port, request)));
        }
        List<String> answered = new ArrayList<>();
        for (Future<String> status : statuses) {
            answered.add(status.get(60, TimeUnit.SECONDS));
        }
        senders.shutdown();
        assertThat(answered).as("each batch got its 200 or 429").allMatch(s -> s.equals("200") || s.equals("429"));
        assertThat(answered).contains("200", "429");
        assertAnswersAnotherCallerAtOnce(port, log);
    }

    private void assertAnswersAnotherCallerAtOnce(int port, Path log) throws Exception {
        assertThat(gateway.isAlive())
                .as("the gateway is up; its log:%n%s", tail(log))
                .isTrue();
        long start = System.nanoTime();
        HttpResponse<String> answer = update(port);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(millis).as("another caller's update, ms").isLessThan(1_000);
        assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError");
    }

    private static HttpResponse<String> update(int port) throws Exception {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        return client.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/customers/574"))
                        .header("X-API-Key", "other-key")
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(5))
                        .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"first_name\":\"x\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Sends one whole request and reads its status code; a refusal may close the connection mid-body. */
    private static String send(int port, byte[] request) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            try {
                socket.getOutputStream().write(request);
            } catch (IOException closedMidBody) {
                // refused before the whole body was read: the answer is still there to read
            }
            InputStream in = socket.getInputStream();
            byte[] head = in.readNBytes(12);
            String status = new String(head, StandardCharsets.US_ASCII);
            return status.length() == 12 ? status.substring(9, 12) : "none: " + status;
        } catch (IOException e) {
            return "failed: " + e;
        }
    }

    private void awaitFirstAnswer(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            assertThat(gateway.isAlive()).as("the gateway started").isTrue();
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("the gateway did not start in 90 s");
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
