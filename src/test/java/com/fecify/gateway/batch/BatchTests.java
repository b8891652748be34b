package com.fecify.gateway.batch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fecify.gateway.AnswerContract;
import com.fecify.gateway.GatewayHarness;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * SPEC "Dry runs and batches" through the real HTTP stack, with a WireMock store that counts how many calls it has
 * in flight at once.
 */
@ExtendWith(OutputCaptureExtension.class)
class BatchTests extends GatewayHarness {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AtomicInteger inFlight = new AtomicInteger();
    private static final AtomicInteger mostInFlight = new AtomicInteger();
    /**
     * The store: every call takes 20 ms, counted in flight from its arrival until its answer is about to leave (so
     * the gateway cannot have sent the next one before this call stops counting).
     */
    private static final WireMockServer store =
            new WireMockServer(options().dynamicPort().containerThreads(64).extensions(new ServeEventListener() {
                @Override
                public void beforeMatch(ServeEvent event, Parameters parameters) {
                    mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                }

                @Override
                public void beforeResponseSent(ServeEvent event, Parameters parameters) {
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        inFlight.decrementAndGet();
                    }
                }

                @Override
                public String getName() {
                    return "in-flight";
                }
            }));

    static {
        store.start();
    }

    @Autowired
    MeterRegistry meters;

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void batchStore(DynamicPropertyRegistry registry) {
        defaults(registry);
        registry.add("fecify.base-url", () -> store.baseUrl() + "/apimanager666/");
        registry.add("fecify.response-timeout", () -> "3s");
        registry.add("gateway.batch.concurrency", () -> "4");
        registry.add("gateway.clients.crm.key-sha256", () -> sha256("crm-key"));
        registry.add("gateway.clients.crm.rate-per-second", () -> "100000");
        registry.add("gateway.clients.crm.fields", () -> "first_name, note, accepts_marketing, phone");
        registry.add("gateway.clients.newsletter.key-sha256", () -> sha256("newsletter-key"));
        registry.add("gateway.clients.newsletter.rate-per-second", () -> "2");
        registry.add("gateway.clients.paced.key-sha256", () -> sha256("paced-key"));
        registry.add("gateway.clients.paced.rate-per-second", () -> "10");
    }

    @AfterAll
    static void stopStore() {
        store.stop();
    }

    @BeforeEach
    void resetBatchStore() {
        store.resetAll();
        mostInFlight.set(0);
    }

    /**
     * 500 items: every fifth is invalid, forbidden for the caller, unknown to the store, refused by the store, or
     * answered 503 once and then accepted; the rest succeed. One line per item, in a stream whose first lines arrive
     * before the store has seen the last item; nothing invalid or forbidden reaches the store; at most 4 at a time.
     */
    @Test
    void mixedBatchGetsOneLinePerItemStreamedAsItemsEnd(CapturedOutput output) throws Exception {
        store.stubFor(post(STORE_PATH).willReturn(okJson(successEnvelopeFor(1))));
        for (int id = 1; id <= 500; id++) {
            switch (id % 5) {
                case 2 ->
                    store.stubFor(post(STORE_PATH)
                            .withRequestBody(matchingJsonPath("$.id", equalToNumber(id)))
                            .willReturn(aResponse().withStatus(404)));
                case 3 ->
                    store.stubFor(post(STORE_PATH)
                            .withRequestBody(matchingJsonPath("$.id", equalToNumber(id)))
                            .willReturn(okJson("{\"code\":10001,\"data\":null,\"message\":\"phone already used\"}")));
                case 4 -> {
                    store.stubFor(post(STORE_PATH)
                            .inScenario("flaky-" + id)
                            .whenScenarioStateIs(Scenario.STARTED)
                            .withRequestBody(matchingJsonPath("$.id", equalToNumber(id)))
                            .willReturn(aResponse().withStatus(503))
                            .willSetStateTo("recovered"));
                    store.stubFor(post(STORE_PATH)
                            .inScenario("flaky-" + id)
                            .whenScenarioStateIs("recovered")
                            .withRequestBody(matchingJsonPath("$.id", equalToNumber(id)))
                            .willReturn(okJson(successEnvelopeFor(id))));
                }
                default -> {}
            }
        }
        StringBuilder body = new StringBuilder("{\"updates\":[");
        for (int id = 1; id <= 500; id++) {
            if (id > 1) {
                body.append(',');
            }
            body.append(
                    switch (id % 5) {
                        case 0 -> "{\"id\":" + id + ",\"accepts_marketing\":3}"; // invalid
                        case 1 -> "{\"id\":" + id + ",\"last_name\":\"li\"}"; // not this caller's field
                        default -> "{\"id\":" + id + ",\"first_name\":\"n" + id + "\"}";
                    });
        }
        body.append("]}");

        HttpResponse<java.util.stream.Stream<String>> response = http.send(
                batch("crm-key", "")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
        List<JsonNode> lines = new ArrayList<>();
        List<Long> arrivals = new ArrayList<>();
        response.body().forEach(line -> {
            arrivals.add(System.currentTimeMillis());
            lines.add(JSON.readTree(line));
        });

        assertThat(lines).hasSize(501);
        assertThat(lines.get(500).at("/summary/total").asInt()).isEqualTo(500);
        assertThat(lines.get(500).at("/summary/succeeded").asInt()).isEqualTo(100);
        assertThat(lines.get(500).at("/summary/failed").asInt()).isEqualTo(400);
        Map<Integer, JsonNode> byIndex = new HashMap<>();
        for (JsonNode line : lines.subList(0, 500)) {
            assertThat(byIndex.put(line.get("index").asInt(), line))
                    .as("one line per item")
                    .isNull();
        }
        assertThat(byIndex).hasSize(500);
        for (int index = 0; index < 500; index++) {
            int id = index + 1;
            JsonNode line = byIndex.get(index);
            assertThat(line.get("id").asInt()).isEqualTo(id);
            String expected = switch (id % 5) {
                case 0 -> "400 validation_failed";
                case 1 -> "403 forbidden";
                case 2 -> "404 customer_not_found";
                case 3 -> "422 upstream_rejected";
                default -> "200 -";
            };
            String actual = line.get("status").asInt() + " "
                    + (line.has("problem") ? line.at("/problem/code").asString() : "-");
            assertThat(actual).as("item %d", index).isEqualTo(expected);
            if (id % 5 == 4) {
                assertThat(line.at("/customer/id").asInt())
                        .as("retried after a 503")
                        .isEqualTo(id);
            }
        }
        assertThat(byIndex.get(1).at("/problem/upstream_code").isMissingNode()).isTrue();
        assertThat(byIndex.get(1).at("/problem/instance").asString()).isEqualTo("/v1/customers/2");
        assertThat(byIndex.get(2).at("/problem/upstream_code").asInt()).isEqualTo(10001);

        List<LoggedRequest> calls = store.findAll(postRequestedFor(urlPathEqualTo(STORE_PATH)));
        Set<Integer> sentIds = calls.stream()
                .map(call -> JSON.readTree(call.getBodyAsString()).get("id").asInt())
                .collect(Collectors.toSet());
        assertThat(sentIds).noneMatch(id -> id % 5 == 0 || id % 5 == 1);
        assertThat(sentIds).hasSize(300);
        assertThat(calls).hasSize(300 + 100); // the flaky ones twice
        assertThat(mostInFlight.get()).as("store calls in flight at once").isBetween(2, 4);
        long lastCallAt = calls.stream()
                .mapToLong(call -> call.getLoggedDate().getTime())
                .max()
                .orElseThrow();
        assertThat(arrivals.get(0))
                .as("the first line came before the last item was sent")
                .isLessThan(lastCallAt);
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(output.getOut())
                        .contains("caller=crm customer_id=500 fields=accepts_marketing outcome=validation_failed"
                                + " status=400")
                        .contains("caller=crm customer_id=2 fields=first_name outcome=customer_not_found status=404"));
        assertThat(count("crm", "upstream_rejected")).isEqualTo(100);
    }

    /** A caller that goes away stops its batch: what was not sent by then never is, and is audited so. */
    @Test
    void callerThatDisconnectsStopsTheBatch(CapturedOutput output) throws Exception {
        store.stubFor(post(STORE_PATH).willReturn(okJson(successEnvelopeFor(1)).withFixedDelay(100)));
        String body = IntStream.rangeClosed(1, 200)
                .mapToObj(id -> "{\"id\":" + id + ",\"note\":\"n\"}")
                .collect(Collectors.joining(",", "{\"updates\":[", "]}"));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/customers/batch HTTP/1.1\r\nHost: localhost\r\nX-API-Key: crm-key\r\n"
                            + "X-Request-Id: leaving-batch\r\nContent-Type: application/json\r\nContent-Length: "
                            + body.length() + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream()));
            int lines = 0;
            while (lines < 4) {
                String line = in.readLine();
                if (line != null && line.startsWith("{\"index\"")) {
                    lines++;
                }
            }
            socket.setSoLinger(true, 0);
        }
        // the batch stops once a line cannot be written: the items it never sent are audited then
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(output.getOut())
                        .contains(
                                "request_id=leaving-batch caller=crm customer_id=200 fields=note outcome=client_closed"
                                        + " status=499"));
        int sentSoon = storeCalls(store);
        Thread.sleep(1_000);
        assertThat(storeCalls(store)).as("no item sent after the batch stopped").isEqualTo(sentSoon);
        assertThat(sentSoon).isLessThan(40);
    }

    @Test
    void dryRunBatchChecksEveryItemAndSendsNothing(CapturedOutput output) throws Exception {
        HttpResponse<String> response = AnswerContract.send(
                http,
                batch(KEY, "?dry_run=true")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"updates\":[{\"id\":574,\"note\":\"vip\","
                                + "\"customervip_id\":\"\"},{\"id\":575,\"accepts_marketing\":\"2\"}]}"))
                        .build());

        assertThat(response.statusCode()).isEqualTo(200);
        List<JsonNode> lines = response.body().lines().map(JSON::readTree).toList();
        assertThat(lines).hasSize(3);
        JsonNode accepted = lines.stream()
                .filter(line -> line.path("index").asInt(-1) == 0)
                .findFirst()
                .orElseThrow();
        assertThat(accepted.toString())
                .isEqualTo("{\"index\":0,\"id\":574,\"status\":200,\"dry_run\":true,\"changes\":{\"note\":\"vip\"}}");
        JsonNode refused = lines.stream()
                .filter(line -> line.path("index").asInt(-1) == 1)
                .findFirst()
                .orElseThrow();
        assertThat(refused.at("/problem/errors/0/field").asString()).isEqualTo("accepts_marketing");
        assertThat(lines.get(2).toString()).isEqualTo("{\"summary\":{\"total\":2,\"succeeded\":1,\"failed\":1}}");
        assertThat(storeCalls(store)).isZero();
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(output.getOut())
                        .contains("caller=billing customer_id=574 fields=note,customervip_id outcome=dry_run"
                                + " status=200"));
    }

    @Test
    void refusedAsAWholeBeforeAnythingIsSent() throws Exception {
        assertRefused("crm-key", "", "[1,2]", 400, "malformed_json");
        assertRefused("crm-key", "", "{\"updates\":{}}", 400, "malformed_json");
        assertRefused("crm-key", "", "{\"updates\":[],\"more\":1}", 400, "malformed_json");
        assertRefused("crm-key", "", "{\"updates\":[]}", 400, "validation_failed");
        assertRefused("crm-key", "", "{\"updates\":[{\"id\":1,\"note\":\"n\"},7]}", 400, "validation_failed");
        assertRefused("crm-key", "?dry_run=yes", "{\"updates\":[{\"id\":1,\"note\":\"n\"}]}", 400, "validation_failed");
        String items501 = IntStream.rangeClosed(1, 501)
                .mapToObj(id -> "{\"id\":" + id + ",\"note\":\"n\"}")
                .collect(Collectors.joining(",", "{\"updates\":[", "]}"));
        assertRefused("crm-key", "", items501, 400, "validation_failed");
        assertRefused("crm-key", "", "{\"updates\":[{\"note\":\"" + "x".repeat(1_100_000) + "\"}]}", 413, null);

        // 2 per second, 60 s: 2 + 120 items at most
        String items123 = IntStream.rangeClosed(1, 123)
                .mapToObj(id -> "{\"id\":" + id + ",\"note\":\"n\"}")
                .collect(Collectors.joining(",", "{\"updates\":[", "]}"));
        HttpResponse<String> tooMany = assertRefused("newsletter-key", "", items123, 429, "rate_limited");
        assertThat(tooMany.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(tooMany.body()).contains("the largest batch it allows is 122 items");

        HttpResponse<String> noKey = AnswerContract.send(
                http,
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/customers/batch"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"updates\":[{\"id\":1,\"note\":\"n\"}]}"))
                        .build());
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(storeCalls(store)).isZero();
    }

    /** Hostile bodies: deep nesting, 10k items, huge strings, duplicate keys. Only refusals, nothing sent. */
    @Test
    void hostileBatchBodiesGetOnlyRefusals() throws Exception {
        List<String> bodies = List.of(
                "{\"updates\":" + "[".repeat(5000) + "]".repeat(5000) + "}",
                IntStream.range(0, 10_000)
                        .mapToObj(i -> "{\"id\":1,\"note\":\"n\"}")
                        .collect(Collectors.joining(",", "{\"updates\":[", "]}")),
                "{\"updates\":[{\"id\":1,\"note\":\"" + "\u00e9".repeat(600_000) + "\"}]}",
                "{\"updates\":[{\"id\":1,\"note\":\"a\",\"note\":\"b\"}]}",
                "{\"updates\":[],\"updates\":[]}",
                "{\"updates\":[{\"id\":1,\"note\":\"a\"}]} trailing",
                "{\"updates\":[{\"id\":1e3,\"note\":\"a\"}]",
                "\"updates\"");
        Set<Integer> statuses = new HashSet<>();
        for (String body : bodies) {
            HttpResponse<String> response = AnswerContract.send(
                    http,
                    batch("crm-key", "")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build());
            statuses.add(response.statusCode());
            assertThat(response.statusCode())
                    .as(body.substring(0, Math.min(60, body.length())))
                    .isBetween(400, 499);
            assertThat(response.body()).doesNotContain("Exception").doesNotContain(store.baseUrl());
        }
        assertThat(statuses).contains(400, 413);
        assertThat(storeCalls(store)).isZero();
    }

    @Test
    void dryRunPatchAnswersTheChangesAndSendsNothing(CapturedOutput output) throws Exception {
        HttpResponse<String> response = AnswerContract.send(
                http,
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/customers/574?dry_run=true"))
                        .header("X-API-Key", KEY)
                        .header("X-Request-Id", "dry-1")
                        .header("Content-Type", "application/json")
                        .method(
                                "PATCH",
                                HttpRequest.BodyPublishers.ofString(
                                        "{\"first_name\":\"yunlong2\",\"customervip_id\":\"\",\"accepts_marketing\":2}"))
                        .build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()))
                .isEqualTo(
                        JSON.readTree(
                                "{\"dry_run\":true,\"id\":574,\"changes\":{\"first_name\":\"yunlong2\",\"accepts_marketing\":2}}"));
        assertThat(storeCalls(store)).isZero();
        assertThat(output.getOut())
                .contains("request_id=dry-1 caller=billing customer_id=574"
                        + " fields=first_name,customervip_id,accepts_marketing outcome=dry_run status=200");
        assertThat(count("billing", "dry_run")).isPositive();

        HttpResponse<String> refused = AnswerContract.send(
                http,
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/customers/574?dry_run=1"))
                        .header("X-API-Key", KEY)
                        .header("Content-Type", "application/json")
                        .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"first_name\":\"x\"}"))
                        .build());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).at("/errors/0/field").asString())
                .isEqualTo("dry_run");

        HttpResponse<String> invalid = AnswerContract.send(
                http,
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/customers/574?dry_run=true"))
                        .header("X-API-Key", KEY)
                        .header("Content-Type", "application/json")
                        .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"accepts_marketing\":3}"))
                        .build());
        assertThat(invalid.statusCode())
                .as("a dry run is refused as the real update would be")
                .isEqualTo(400);
        assertThat(storeCalls(store)).isZero();
    }

    /**
     * A batch and the same caller's single updates share its rate: while a batch of 20 runs at 10 per second, the
     * caller's single updates, four a second, are all served (the batch leaves them a fifth of the bucket), and the
     * batch still ends with every item.
     */
    @Test
    void singleUpdatesAndABatchOfOneCallerShareItsRate() throws Exception {
        String body = items(1, 20, "\"note\":\"n\"");
        var running = http.sendAsync(
                batch("paced-key", "?dry_run=true")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        List<Integer> singles = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Thread.sleep(250);
            singles.add(http.send(
                            HttpRequest.newBuilder(
                                            URI.create("http://localhost:" + port + "/v1/customers/574?dry_run=true"))
                                    .header("X-API-Key", "paced-key")
                                    .header("Content-Type", "application/json")
                                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"note\":\"x\"}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .statusCode());
        }
        HttpResponse<String> batch = running.get(20, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(singles).as("single updates while the batch runs").containsOnly(200);
        assertThat(batch.statusCode()).isEqualTo(200);
        List<String> lines = batch.body().lines().toList();
        assertThat(lines.get(lines.size() - 1)).isEqualTo("{\"summary\":{\"total\":20,\"succeeded\":20,\"failed\":0}}");
    }

    /** An invalid item takes its token as a refused single update does: 12 of them at 2 per second take seconds. */
    @Test
    void invalidItemsTakeTheirTokensToo() throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> response = AnswerContract.send(
                http,
                batch("newsletter-key", "")
                        .POST(HttpRequest.BodyPublishers.ofString(items(1, 6, "\"nickname\":\"n\"")))
                        .build());
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body().lines().filter(line -> line.contains("\"status\":400")))
                .hasSize(6);
        // a bucket of 2, one kept for single updates: the first at once, the other five half a second apart
        assertThat(millis).isGreaterThanOrEqualTo(2_000);
        assertThat(storeCalls(store)).isZero();
    }

    /**
     * A batch is refused as a whole when the caller's rate could not serve it and the items its running batches still
     * owe within the maximum duration; once those batches end, the same batch is let in.
     */
    @Test
    void wholeRefusalCountsTheCallersRunningBatches() throws Exception {
        // 2 per second for 60 s: 122 items at most, over all of the caller's running batches
        HttpResponse<java.util.stream.Stream<String>> first = http.send(
                batch("newsletter-key", "?dry_run=true")
                        .POST(HttpRequest.BodyPublishers.ofString(items(1, 100, "\"note\":\"n\"")))
                        .build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(first.statusCode()).isEqualTo(200);

        HttpResponse<String> refused =
                assertRefused("newsletter-key", "?dry_run=true", items(1, 30, "\"note\":\"n\""), 429, "rate_limited");
        assertThat(JSON.readTree(refused.body()).get("detail").asString())
                .contains("after the ")
                .contains(" items its running batches still send")
                .containsPattern("the largest batch it allows is (2[2-9]|30|31) items");

        // the first batch's caller goes away: its items are not owed any more
        first.body().close();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HttpResponse<java.util.stream.Stream<String>> again = http.send(
                    batch("newsletter-key", "?dry_run=true")
                            .POST(HttpRequest.BodyPublishers.ofString(items(1, 30, "\"note\":\"n\"")))
                            .build(),
                    HttpResponse.BodyHandlers.ofLines());
            again.body().close();
            assertThat(again.statusCode()).isEqualTo(200);
        });
    }

    private static String items(int from, int to, String fields) {
        return IntStream.rangeClosed(from, to)
                .mapToObj(id -> "{\"id\":" + id + "," + fields + "}")
                .collect(Collectors.joining(",", "{\"updates\":[", "]}"));
    }

    private HttpResponse<String> assertRefused(
            String key, String query, String body, int status, @org.jspecify.annotations.Nullable String code)
            throws Exception {
        HttpResponse<String> response = AnswerContract.send(
                http,
                batch(key, query)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build());
        assertThat(response.statusCode())
                .as(body.substring(0, Math.min(60, body.length())))
                .isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        if (code != null) {
            assertThat(JSON.readTree(response.body()).get("code").asString()).isEqualTo(code);
        }
        assertThat(storeCalls(store)).isZero();
        return response;
    }

    private HttpRequest.Builder batch(String key, String query) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/customers/batch" + query))
                .header("X-API-Key", key)
                .header("Content-Type", "application/json");
    }

    private static int storeCalls(WireMockServer server) {
        return server.findAll(postRequestedFor(urlPathEqualTo(STORE_PATH))).size();
    }

    private static com.github.tomakehurst.wiremock.matching.StringValuePattern equalToNumber(int id) {
        return com.github.tomakehurst.wiremock.client.WireMock.equalTo(Integer.toString(id));
    }

    private double count(String caller, String outcome) {
        Counter counter = meters.find("fecify.gateway.updates")
                .tags("caller", caller, "outcome", outcome)
                .counter();
        return counter == null ? 0 : counter.count();
    }
}
