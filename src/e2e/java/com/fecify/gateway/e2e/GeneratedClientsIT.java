package com.fecify.gateway.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fecify.gateway.AnswerContract;
import com.fecify.gateway.GatewayHarness;
import com.fecify.gateway.session.FakeProvider;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * docs/openapi.json as tools nobody here wrote read it, against the live gateway and a fake store: Stoplight Prism as
 * a validating proxy sees a scripted request for every documented operation and status and must find no violation in
 * any answer (and, for the requests the gateway refuses by a rule JSON Schema can state, must find the request's);
 * then the three generated clients of examples/clients (openapi-generator's Java and typescript-fetch, openapi-typescript
 * with openapi-fetch) each make an update, a dry run, a refused update and a batch through the same proxy, reading every
 * answer as its typed model. The clients are built by {@code ./mvnw -Pclients generate-resources} (.ci/run, step 3).
 */
class GeneratedClientsIT extends GatewayHarness {

    private static final String PRISM = "@stoplight/prism-cli@5.16.0";
    private static final String LIMITED_KEY = "limited-key-Vb7Nq2Rx";
    private static final String SLOW_KEY = "slow-key-Tz5Kp8Ld";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String SHOP = "https://shop.example.com";
    private static final FakeProvider PROVIDER = new FakeProvider(fecify);

    /** What a request could not provoke here, with why; every other documented status must be seen. */
    private static final Map<String, String> UNPROVOKED = Map.of(
            "408", "a caller slower than the body-read timeout: Prism reads the whole body before it forwards",
            "500", "an unforeseen failure of the gateway: none is left to provoke");

    private static Process prism;
    private static int prismPort;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        defaults(registry);
        // the harness's 1 s is tight for a cold first call on a busy CI machine: 4 s, and the slow store answers in 6
        registry.add("fecify.response-timeout", () -> "4s");
        registry.add("gateway.clients.limited.key-sha256", () -> sha256(LIMITED_KEY));
        registry.add("gateway.clients.limited.fields", () -> "first_name");
        registry.add("gateway.clients.slow.key-sha256", () -> sha256(SLOW_KEY));
        registry.add("gateway.clients.slow.rate-per-second", () -> "1");
        // browser sessions on, against a provider played by WireMock, for the /bff routes and a session's PATCH
        PROVIDER.sessionProperties(registry, SHOP);
    }

    @BeforeEach
    void fakeStore() throws Exception {
        String customer = "{\"id\":574,\"shop_id\":15,\"email\":\"ada@example.com\",\"first_name\":\"Ada\","
                + "\"last_name\":\"Lovelace\",\"note\":null,\"phone\":null,\"phone_prefix\":null,"
                + "\"accepts_marketing\":1,\"customervip_id\":\"\",\"payafteruse_status\":1,\"payafteruse_level\":0,"
                + "\"created_at\":\"2026-05-25 11:35:16\",\"updated_at\":\"2026-12-04 04:00:00\","
                + "\"loyalty_tier\":\"gold\"}";
        fecify.stubFor(post(urlPathEqualTo(STORE_PATH))
                .atPriority(10)
                .willReturn(okJson("{\"code\":200,\"message\":\"success\",\"data\":" + customer + "}")));
        storeAnswersFor(999, okJson("{\"code\":404,\"data\":null,\"message\":\"customer not found\"}"));
        storeAnswersFor(422, okJson("{\"code\":10001,\"data\":null,\"message\":\"phone already used\"}"));
        storeAnswersFor(401, okJson("{\"code\":401,\"data\":null,\"message\":\"invalid skill-access-token\"}"));
        storeAnswersFor(503, aResponse().withStatus(503).withBody("maintenance"));
        storeAnswersFor(429, aResponse().withStatus(429).withHeader("Retry-After", "5"));
        storeAnswersFor(598, aResponse().withStatus(200).withBody("<html>not json</html>"));
        PROVIDER.stub();
        storeAnswersFor(504, okJson("{\"code\":200,\"data\":{\"id\":504},\"message\":\"success\"}").withFixedDelay(6000));
        if (prism == null) {
            prism = startPrism();
        }
    }

    @AfterAll
    static void stopPrism() throws InterruptedException {
        if (prism != null) {
            prism.descendants().forEach(ProcessHandle::destroy);
            prism.destroy();
            prism.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void prismFindsNoViolationInAnyAnswerOfEveryDocumentedOperationAndStatus() throws Exception {
        List<Exchange> script = new ArrayList<>();
        String patch = "/v1/customers/";
        script.add(patchOf(574, "{\"first_name\":\"Ada\",\"payafteruse_status\":1}", 200));
        script.add(new Exchange("PATCH", patch + "574?dry_run=true", KEY, "application/json",
                "{\"accepts_marketing\":1,\"customervip_id\":\"\"}", 200, false));
        script.add(patchOf(574, "{\"accepts_marketing\":3}", 400).refused());
        script.add(patchOf(574, "{\"customervip_id\":\"\"}", 400).refused());
        script.add(patchOf(574, "{\"first_name\":\"Ada\",\"email\":\"x@example.com\"}", 400).refused());
        script.add(patchOf(574, "{\"id\":575,\"first_name\":\"Ada\"}", 400)); // another id: no schema can say
        script.add(new Exchange("PATCH", patch + "0574", KEY, "application/json", "{\"first_name\":\"A\"}", 400, false));
        // Prism waits forever on a body it cannot parse, and on an upload the gateway refuses before its end
        script.add(patchOf(574, "{\"first_name\":", 400).direct());
        script.add(new Exchange("PATCH", patch + "574", null, "application/json", "{\"first_name\":\"A\"}", 401, false)
                .refused());
        script.add(new Exchange("PATCH", patch + "574", LIMITED_KEY, "application/json", "{\"note\":\"x\"}", 403, false));
        script.add(patchOf(999, "{\"first_name\":\"Ada\"}", 404));
        script.add(patchOf(574, "{\"note\":\"" + "x".repeat(70_000) + "\"}", 413).refused());
        script.add(new Exchange("PATCH", patch + "574", KEY, "text/plain", "first_name=Ada", 415, false)
                .refused());
        script.add(patchOf(422, "{\"first_name\":\"Ada\"}", 422));
        script.add(new Exchange("PATCH", patch + "574", SLOW_KEY, "application/json", "{\"first_name\":\"A\"}", 200, false));
        script.add(new Exchange("PATCH", patch + "574", SLOW_KEY, "application/json", "{\"first_name\":\"A\"}", 429, false));
        script.add(patchOf(401, "{\"first_name\":\"Ada\"}", 502));
        script.add(patchOf(503, "{\"first_name\":\"Ada\"}", 502));
        script.add(patchOf(598, "{\"first_name\":\"Ada\"}", 502));
        script.add(patchOf(429, "{\"first_name\":\"Ada\"}", 503));
        script.add(patchOf(504, "{\"first_name\":\"Ada\"}", 504));

        String batch = "/v1/customers/batch";
        String items = "{\"updates\":[{\"id\":574,\"last_name\":\"Lovelace\"},{\"id\":999,\"note\":\"x\"},"
                + "{\"id\":575,\"accepts_marketing\":5},{\"id\":422,\"first_name\":\"A\"},{\"id\":503,\"note\":\"x\"}]}";
        script.add(new Exchange("POST", batch, KEY, "application/json", items, 200, false).refused());
        script.add(new Exchange("POST", batch + "?dry_run=true", KEY, "application/json",
                "{\"updates\":[{\"id\":574,\"accepts_marketing\":1}]}", 200, false));
        script.add(new Exchange("POST", batch, KEY, "application/json", "{\"updates\":[]}", 400, false)
                .refused());
        script.add(new Exchange("POST", batch, null, "application/json", items, 401, false).refused());
        script.add(new Exchange("POST", batch, KEY, "application/json",
                "{\"updates\":[" + ("{\"id\":574,\"note\":\"" + "x".repeat(1000) + "\"},").repeat(1100)
                        + "{\"id\":574,\"note\":\"x\"}]}", 413, false).direct());
        script.add(new Exchange("POST", batch, KEY, "text/plain", "updates", 415, false).refused());
        script.add(new Exchange("POST", batch, SLOW_KEY, "application/json",
                "{\"updates\":[" + "{\"id\":574,\"note\":\"x\"},".repeat(99) + "{\"id\":574,\"note\":\"x\"}]}",
                429, false));

        String dropIn = "/api/skill/customer/update-customer";
        script.add(dropInOf("{\"id\":574,\"first_name\":\"Ada\"}", KEY, 200));
        script.add(dropInOf("{\"id\":574,\"accepts_marketing\":3}", KEY, 400).refused());
        script.add(dropInOf("{\"first_name\":\"Ada\"}", KEY, 400).refused());
        script.add(dropInOf("{\"id\":574,\"first_name\":\"Ada\"}", null, 401).refused());
        script.add(dropInOf("{\"id\":574,\"note\":\"x\"}", LIMITED_KEY, 403));
        script.add(dropInOf("{\"id\":999,\"first_name\":\"Ada\"}", KEY, 404));
        script.add(dropInOf("{\"id\":574,\"note\":\"" + "x".repeat(70_000) + "\"}", KEY, 413).refused());
        script.add(new Exchange("POST", dropIn, KEY, "text/plain", "id=574", 415, false).refused());
        script.add(dropInOf("{\"id\":422,\"first_name\":\"Ada\"}", KEY, 422));
        script.add(dropInOf("{\"id\":574,\"first_name\":\"Ada\"}", SLOW_KEY, 200));
        script.add(dropInOf("{\"id\":574,\"first_name\":\"Ada\"}", SLOW_KEY, 429));
        script.add(dropInOf("{\"id\":503,\"first_name\":\"Ada\"}", KEY, 502));
        script.add(dropInOf("{\"id\":429,\"first_name\":\"Ada\"}", KEY, 503));
        script.add(dropInOf("{\"id\":504,\"first_name\":\"Ada\"}", KEY, 504));

        List<String> failures = new ArrayList<>();
        Map<String, Set<String>> seen = new TreeMap<>();
        for (Exchange exchange : script) {
            through(exchange, failures, seen);
        }
        browserSession(failures, seen);
        assertThat(failures).as("through Prism %s", PRISM).isEmpty();
        System.out.println("Prism: " + seen.values().stream().mapToInt(Set::size).sum() + " operation statuses seen "
                + seen);

        JsonNode document = JSON.readTree(Path.of("docs/openapi.json").toFile());
        Map<String, Set<String>> missing = new TreeMap<>();
        for (var path : document.get("paths").properties()) {
            for (var operation : path.getValue().properties()) {
                String key = operation.getKey().toUpperCase() + " " + path.getKey();
                for (String status : operation.getValue().get("responses").propertyNames()) {
                    if (!UNPROVOKED.containsKey(status)
                            && !seen.getOrDefault(key, Set.of()).contains(status)) {
                        missing.computeIfAbsent(key, k -> new TreeSet<>()).add(status);
                    }
                }
            }
        }
        assertThat(missing)
                .as("documented statuses no request of the script provoked (not provokable: %s)", UNPROVOKED)
                .isEmpty();
    }

    @Test
    void eachGeneratedClientUpdatesDryRunsIsRefusedAndReadsABatchAsItsTypedModels() throws Exception {
        Path examples = Path.of("examples/clients");
        Path typescript = examples.resolve("typescript/dist/src");
        Path java = examples.resolve("java/target/classpath.txt");
        assertThat(typescript.resolve("fetch-client.js"))
                .as("the TypeScript examples are built by ./mvnw -Pclients generate-resources")
                .exists();
        assertThat(java).as("the Java example is built by ./mvnw -Pclients generate-resources").exists();
        String node = Tools.required("node", "Node.js, for the TypeScript clients");
        String classpath = examples.resolve("java/target/classes") + ":" + Files.readString(java).trim();
        String javaCommand = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        for (List<String> command : List.of(
                List.of(node, typescript.resolve("fetch-client.js").toString()),
                List.of(node, typescript.resolve("openapi-fetch-client.js").toString()),
                List.of(javaCommand, "-cp", classpath, "example.JavaClient"))) {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("GATEWAY_URL", "http://127.0.0.1:" + prismPort);
            builder.environment().put("GATEWAY_KEY", UNLIMITED_KEY);
            builder.environment().put("STORE_EXTRA", "loyalty_tier");
            Process client = builder.start();
            String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(client.waitFor(60, TimeUnit.SECONDS)).isTrue();
            System.out.println(command.get(command.size() - 1) + ":\n" + output);
            assertThat(client.exitValue()).as(command + "\n" + output).isZero();
            assertThat(output)
                    .contains("ok   dry run")
                    .contains("ok   refused")
                    .contains("ok   batch: lines")
                    .contains("ok   update: the store's own field loyalty_tier");
        }
    }

    /**
     * Sends one exchange (through Prism unless it must go past it), notes every way the answer or Prism's verdict on
     * the request departs from what the exchange expects, and marks its operation's status seen.
     */
    private @Nullable HttpResponse<String> through(Exchange exchange, List<String> failures, Map<String, Set<String>> seen)
            throws Exception {
        String name = exchange.method() + " " + exchange.target().replaceAll("(?<=.{60}).+", "…") + " ("
                + exchange.status() + ")";
        HttpResponse<String> answer;
        try {
            answer = HTTP.send(
                    exchange.request(exchange.pastPrism() ? port : prismPort),
                    HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            failures.add(name + ": no answer through Prism in 30 s");
            return null;
        }
        if (exchange.pastPrism()) {
            AnswerContract.problems(
                            exchange.method(),
                            exchange.target(),
                            answer.statusCode(),
                            answer.headers().map(),
                            answer.body())
                    .forEach(problem -> failures.add(name + ": the answer breaks the document: " + problem));
        }
        if (answer.statusCode() != exchange.status()) {
            failures.add(name + ": answered " + answer.statusCode() + " " + answer.body());
            return answer;
        }
        List<String> request = new ArrayList<>();
        for (JsonNode violation : violations(answer)) {
            String where = violation.get("location").get(0).asString();
            String text = violation.get("location") + " " + violation.get("message").asString();
            if (where.equals("request")) {
                request.add(text);
            } else {
                failures.add(name + ": the answer breaks the document: " + text);
            }
        }
        if (exchange.refusedByTheDocument() && request.isEmpty()) {
            failures.add(name + ": the document lets through a request the gateway refuses");
        }
        if (!exchange.refusedByTheDocument() && !request.isEmpty()) {
            failures.add(name + ": the document refuses a request the gateway takes or refuses later: " + request);
        }
        seen.computeIfAbsent(exchange.operation(), operation -> new TreeSet<>())
                .add(Integer.toString(exchange.status()));
        return answer;
    }

    /**
     * A browser session through Prism: sign-in (its redirect to the provider, a refused return_to, the provider's
     * redirect back), the session, a session's PATCH, sign-out, and the provider's back-channel logout.
     */
    private void browserSession(List<String> failures, Map<String, Set<String>> seen) throws Exception {
        String returnTo = URLEncoder.encode(SHOP + "/account", StandardCharsets.UTF_8);
        through(get("/bff/login?return_to=" + URLEncoder.encode("https://evil.example/", StandardCharsets.UTF_8), 400),
                failures,
                seen);
        // Prism 5.16 follows a redirect it proxies: the two redirects go to the gateway itself
        HttpResponse<String> login =
                through(get("/bff/login?return_to=" + returnTo, 302).direct(), failures, seen);
        assertThat(login).isNotNull();
        assertThat(login.statusCode()).as("sign-in through Prism: %s", failures).isEqualTo(302);
        String location = login.headers().firstValue("Location").orElseThrow();
        String signIn = FakeProvider.SIGN_IN_COOKIE + "="
                + FakeProvider.value(FakeProvider.setCookie(login, FakeProvider.SIGN_IN_COOKIE));
        PROVIDER.tokenAnswers(PROVIDER.idToken(location, claims -> claims.claim("sid", "provider-session-1")), 300);
        HttpResponse<String> callback = through(
                get("/bff/callback?code=c&state=" + URLEncoder.encode(
                                        FakeProvider.query(location).get("state"), StandardCharsets.UTF_8), 302)
                        .with("Cookie", signIn)
                        .direct(),
                failures,
                seen);
        String sessionCookie = FakeProvider.setCookie(callback, FakeProvider.SESSION_COOKIE);
        assertThat(sessionCookie).as("a session from the callback through Prism: %s", failures).isNotNull();
        String session = FakeProvider.SESSION_COOKIE + "=" + FakeProvider.value(sessionCookie);

        HttpResponse<String> me = through(get("/bff/session", 200).with("Cookie", session), failures, seen);
        assertThat(me.body()).contains("\"customer_id\":574").doesNotContain("eyJ");
        through(get("/bff/session", 401).refused(), failures, seen);
        through(get("/bff/session", 403).with("Cookie", session).with("Origin", "https://evil.example"), failures, seen);
        through(new Exchange("PATCH", "/v1/customers/574", null, "application/json", "{\"first_name\":\"Ada\"}", 200,
                                false)
                        .with("Cookie", session)
                        .with("X-CSRF-Protection", "1"),
                failures,
                seen);
        through(new Exchange(
                                "POST",
                                "/v1/customers/batch",
                                null,
                                "application/json",
                                "{\"updates\":[{\"id\":574,\"first_name\":\"Ada\"}]}",
                                403,
                                false)
                        .with("Cookie", session)
                        .with("X-CSRF-Protection", "1")
                        .refused(), // the batch lists no session scheme
                failures,
                seen);
        through(new Exchange("POST", "/bff/logout", null, null, "", 403, false)
                        .with("Cookie", session)
                        .refused(),
                failures,
                seen);
        through(new Exchange("POST", "/bff/logout", null, null, "", 204, false)
                        .with("Cookie", session)
                        .with("X-CSRF-Protection", "1"),
                failures,
                seen);
        String form = "application/x-www-form-urlencoded";
        through(new Exchange("POST", "/bff/backchannel-logout", null, form, "logout_token=not-a-token", 400, false),
                failures,
                seen);
        through(new Exchange(
                                "POST",
                                "/bff/backchannel-logout",
                                null,
                                form,
                                "logout_token=" + "a".repeat(70_000),
                                413,
                                false)
                        .direct(),
                failures,
                seen);
        through(new Exchange(
                        "POST",
                        "/bff/backchannel-logout",
                        null,
                        form,
                        "logout_token=" + PROVIDER.logoutToken(claims -> claims.claim("sid", "provider-session-1")),
                        200,
                        false),
                failures,
                seen);
    }

    private static Exchange get(String target, int status) {
        return new Exchange("GET", target, null, null, "", status, false);
    }

    private static void storeAnswersFor(long id, com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answer) {
        fecify.stubFor(post(urlPathEqualTo(STORE_PATH))
                .atPriority(1)
                .withRequestBody(matchingJsonPath("$[?(@.id == " + id + ")]"))
                .willReturn(answer));
    }

    private Exchange patchOf(long id, String body, int status) {
        return new Exchange("PATCH", "/v1/customers/" + id, KEY, "application/json", body, status, false);
    }

    private Exchange dropInOf(String body, String key, int status) {
        return new Exchange("POST", "/api/skill/customer/update-customer", key, "application/json", body, status, false);
    }

    private static List<JsonNode> violations(HttpResponse<String> answer) {
        List<JsonNode> list = new ArrayList<>();
        for (String header : answer.headers().allValues("sl-violations")) {
            JSON.readTree(header).forEach(list::add);
        }
        return list;
    }

    private Process startPrism() throws IOException, InterruptedException {
        String npx = Tools.required("npx", "Node.js and npm");
        prismPort = freePort();
        Path log = Files.createTempFile("prism", ".log");
        Process process = new ProcessBuilder(
                        npx, "-y", PRISM, "proxy", "docs/openapi.json", "http://127.0.0.1:" + port,
                        "--port", Integer.toString(prismPort), "--host", "127.0.0.1")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!Files.readString(log).contains("Prism is listening")) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("Prism did not start:\n" + Files.readString(log));
            }
            Thread.sleep(250);
        }
        return process;
    }

    /** One request of the script: its operation, what it sends, the status it must get, and whether Prism refuses it. */
    private record Exchange(
            String method,
            String target,
            @Nullable String key,
            @Nullable String contentType,
            String body,
            int status,
            boolean refusedByTheDocument,
            boolean pastPrism,
            Map<String, String> headers) {

        Exchange(
                String method,
                String target,
                @Nullable String key,
                @Nullable String contentType,
                String body,
                int status,
                boolean no) {
            this(method, target, key, contentType, body, status, false, false, Map.of());
        }

        Exchange refused() {
            return new Exchange(method, target, key, contentType, body, status, true, pastPrism, headers);
        }

        /** Sent to the gateway itself, its answer checked by swagger-request-validator: Prism 5.16 never answers it, or follows it (a redirect). */
        Exchange direct() {
            return new Exchange(method, target, key, contentType, body, status, refusedByTheDocument, true, headers);
        }

        Exchange with(String header, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(header, value);
            return new Exchange(method, target, key, contentType, body, status, refusedByTheDocument, pastPrism, more);
        }

        String operation() {
            String path = target.replaceAll("\\?.*", "").replaceAll("/v1/customers/[0-9]+$", "/v1/customers/{id}");
            return method + " " + path;
        }

        HttpRequest request(int port) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + target))
                    .timeout(Duration.ofSeconds(30))
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
            if (contentType != null) {
                builder.header("Content-Type", contentType);
            }
            headers.forEach(builder::header);
            if (key != null) {
                builder.header("X-API-Key", key);
            }
            return builder.build();
        }
    }
}
