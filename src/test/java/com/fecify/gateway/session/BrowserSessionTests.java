package com.fecify.gateway.session;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fecify.gateway.AnswerContract;
import com.fecify.gateway.GatewayHarness;
import com.fecify.gateway.TestJwts;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Browser sessions through the real HTTP stack, the identity provider played by WireMock (discovery, keys, token
 * endpoint) with ID tokens signed here: sign-in, the session's use of PATCH and its limits, sign-out, and the attacks
 * on sign-in (open redirect, forged or replayed state, bad ID tokens, session fixation).
 */
@ExtendWith(OutputCaptureExtension.class)
class BrowserSessionTests extends GatewayHarness {

    private static final FakeProvider PROVIDER = new FakeProvider(fecify);
    private static final RSAKey SIGNING_KEY = FakeProvider.SIGNING_KEY;
    private static final RSAKey OTHER_KEY = TestJwts.generate("provider-key");
    private static final String CLIENT_ID = FakeProvider.CLIENT_ID;
    private static final String SHOP = "https://shop.example.com";
    private static final int THREADS = 8;
    private static final String COOKIE = FakeProvider.SESSION_COOKIE;
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private static String issuer() {
        return PROVIDER.issuer();
    }

    @DynamicPropertySource
    static void sessions(DynamicPropertyRegistry registry) {
        defaults(registry);
        PROVIDER.sessionProperties(registry, SHOP);
        // few request threads, and a short body-read timeout: for the slow back-channel bodies below
        registry.add("server.tomcat.threads.max", () -> Integer.toString(THREADS));
        registry.add("server.tomcat.threads.min-spare", () -> "2");
        registry.add("gateway.limits.body-read-timeout", () -> "1s");
    }

    @BeforeEach
    void provider() {
        PROVIDER.stub();
        fecify.stubFor(WireMock.post(urlPathEqualTo(STORE_PATH)).willReturn(okJson(successEnvelope(574))));
    }

    @Test
    void aSignedInBrowserUpdatesItsOwnCustomerWithTheCsrfHeaderAndNothingElse() throws Exception {
        String session = signIn(claims -> {});

        HttpResponse<String> me = send(get("/bff/session", session));
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body())
                .contains("\"subject\":\"user-1\"", "\"customer_id\":574", "\"expires_at\":\"")
                .doesNotContain("eyJ");

        assertThat(send(patch("/v1/customers/574", session, true, "{\"first_name\":\"Ada\"}"))
                        .statusCode())
                .isEqualTo(200);
        assertThat(storeCalls()).isEqualTo(1);
        HttpResponse<String> noHeader = send(patch("/v1/customers/574", session, false, "{\"first_name\":\"Ada\"}"));
        assertThat(noHeader.statusCode()).isEqualTo(403);
        assertThat(noHeader.body()).contains("X-CSRF-Protection");
        assertThat(send(patch("/v1/customers/575", session, true, "{\"first_name\":\"Ada\"}"))
                        .statusCode())
                .isEqualTo(403);
        assertThat(send(patch("/v1/customers/574", session, true, "{\"note\":\"x\"}"))
                        .statusCode())
                .isEqualTo(403);
        assertThat(send(post("/v1/customers/batch", session, true, "{\"updates\":[{\"id\":574,\"note\":\"x\"}]}"))
                        .statusCode())
                .isEqualTo(403);
        assertThat(send(post("/api/skill/customer/update-customer", session, true, "{\"id\":574,\"note\":\"x\"}"))
                        .statusCode())
                .isEqualTo(403);
        assertThat(storeCalls()).as("nothing refused reached the store").isEqualTo(1);

        assertThat(send(post("/bff/logout", session, false, "")).statusCode()).isEqualTo(403);
        assertThat(send(get("/bff/session", session)).statusCode()).isEqualTo(200);
        assertThat(send(post("/bff/logout", session, true, "")).statusCode()).isEqualTo(204);
        fecify.verify(
                1,
                WireMock.postRequestedFor(urlPathEqualTo("/idp/revoke"))
                        .withBasicAuth(new com.github.tomakehurst.wiremock.client.BasicCredentials(
                                CLIENT_ID, FakeProvider.CLIENT_SECRET))
                        .withRequestBody(WireMock.containing("token=rt-1"))
                        .withRequestBody(WireMock.containing("token_type_hint=refresh_token")));
        assertThat(send(get("/bff/session", session)).statusCode()).isEqualTo(401);
        assertThat(send(patch("/v1/customers/574", session, true, "{\"first_name\":\"Ada\"}"))
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    void aSessionWhoseRefreshTheProviderRefusesEnds() throws Exception {
        String session = signIn(claims -> {}, 1); // expired at once (Spring refreshes a minute early)
        fecify.stubFor(WireMock.post(urlPathEqualTo("/idp/token"))
                .atPriority(1)
                .withRequestBody(WireMock.containing("grant_type=refresh_token"))
                .willReturn(WireMock.aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"invalid_grant\",\"error_description\":\"User is disabled\"}")));

        assertThat(send(patch("/v1/customers/574", session, true, "{\"first_name\":\"Ada\"}"))
                        .statusCode())
                .isEqualTo(401);
        assertThat(storeCalls()).isZero();
        assertThat(send(get("/bff/session", session)).statusCode()).isEqualTo(401);
    }

    /**
     * The provider is called on a request's way (a refresh before an update, the code exchange of a sign-in): one that
     * does not answer holds the request no longer than the gateway waits for it (3 s), and what it left unanswered
     * counts as refused: the session ends (401, nothing sent to the store), the sign-in fails ({@code invalid_token}).
     */
    @Test
    void aProviderThatDoesNotAnswerHoldsNoRequestPastItsTimeout() throws Exception {
        String session = signIn(claims -> {}, 1);
        fecify.stubFor(WireMock.post(urlPathEqualTo("/idp/token"))
                .atPriority(1)
                .willReturn(okJson("{\"access_token\":\"at-2\",\"token_type\":\"Bearer\",\"expires_in\":300}")
                        .withFixedDelay(8_000)));
        long start = System.nanoTime();
        assertThat(send(patch("/v1/customers/574", session, true, "{\"first_name\":\"Ada\"}"))
                        .statusCode())
                .isEqualTo(401);
        assertThat((System.nanoTime() - start) / 1_000_000)
                .as("ms a refresh the provider leaves hanging holds the update")
                .isBetween(2_500L, 6_000L);
        assertThat(storeCalls()).isZero();

        SignInStart signIn = start(SHOP + "/account");
        start = System.nanoTime();
        assertLoginError(callback(signIn, null), "invalid_token");
        assertThat((System.nanoTime() - start) / 1_000_000)
                .as("ms a code exchange the provider leaves hanging holds the sign-in")
                .isBetween(2_500L, 6_000L);
    }

    @Test
    void anExpiredAccessTokenIsRefreshedOnTheServerAndTheSessionGoesOn() throws Exception {
        String session = signIn(claims -> {}, 1);
        fecify.stubFor(WireMock.post(urlPathEqualTo("/idp/token"))
                .atPriority(1)
                .withRequestBody(WireMock.containing("grant_type=refresh_token"))
                .willReturn(okJson("{\"access_token\":\"at-2\",\"token_type\":\"Bearer\",\"expires_in\":300,"
                        + "\"refresh_token\":\"rt-2\"}")));

        HttpResponse<String> update = send(patch("/v1/customers/574", session, true, "{\"first_name\":\"Ada\"}"));
        assertThat(update.statusCode()).isEqualTo(200);
        assertThat(update.body()).doesNotContain("at-2", "rt-2");
        fecify.verify(
                1,
                WireMock.postRequestedFor(urlPathEqualTo("/idp/token"))
                        .withRequestBody(WireMock.containing("refresh_token=rt-1")));
        assertThat(send(patch("/v1/customers/574", session, true, "{\"first_name\":\"Ada\"}"))
                        .statusCode())
                .isEqualTo(200);
        fecify.verify(
                1,
                WireMock.postRequestedFor(urlPathEqualTo("/idp/token"))
                        .withRequestBody(WireMock.containing("grant_type=refresh_token")));
    }

    @Test
    void aBackChannelLogoutEndsTheSessionsOfItsProviderSessionOrUser() throws Exception {
        String first = signIn(claims -> claims.claim("sid", "provider-session-1"));
        String second = signIn(claims -> claims.claim("sid", "provider-session-2"));
        assertThat(backChannel(sign(logoutToken(claims -> claims.claim("sid", "provider-session-1")), SIGNING_KEY))
                        .statusCode())
                .isEqualTo(200);
        assertThat(send(get("/bff/session", first)).statusCode()).isEqualTo(401);
        assertThat(send(patch("/v1/customers/574", first, true, "{\"first_name\":\"Ada\"}"))
                        .statusCode())
                .isEqualTo(401);
        assertThat(send(get("/bff/session", second)).statusCode())
                .as("another provider session")
                .isEqualTo(200);

        assertThat(backChannel(sign(logoutToken(claims -> {}), SIGNING_KEY)).statusCode())
                .isEqualTo(200);
        assertThat(send(get("/bff/session", second)).statusCode())
                .as("every session of the user")
                .isEqualTo(401);
    }

    @Test
    void aLogoutTokenThatIsNotTheProvidersForThisGatewayEndsNothing() throws Exception {
        String session = signIn(claims -> claims.claim("sid", "provider-session-1"));
        Map<String, String> bad = new HashMap<>();
        bad.put("signed by another key", sign(logoutToken(claims -> {}), OTHER_KEY));
        bad.put("for another client", sign(logoutToken(claims -> claims.audience("someone-else")), SIGNING_KEY));
        bad.put("from another issuer", sign(logoutToken(claims -> claims.issuer("https://evil.example")), SIGNING_KEY));
        bad.put("not a logout event", sign(logoutToken(claims -> claims.claim("events", Map.of())), SIGNING_KEY));
        bad.put("with a nonce (an ID token)", sign(logoutToken(claims -> claims.claim("nonce", "n")), SIGNING_KEY));
        bad.put("not a JWT", "not-a-jwt");
        for (var entry : bad.entrySet()) {
            HttpResponse<String> answer = backChannel(entry.getValue());
            assertThat(answer.statusCode()).as(entry.getKey()).isEqualTo(400);
            assertThat(answer.body()).as(entry.getKey()).doesNotContain("eyJ");
        }
        assertThat(send(get("/bff/session", session)).statusCode()).isEqualTo(200);
    }

    @Test
    void signInsAndSignOutsAreAuditedCountedAndTheLiveSessionsGauged(CapturedOutput output) throws Exception {
        String session = signIn(claims -> {});
        send(post("/bff/logout", session, true, ""));
        SignInStart refused = start(SHOP + "/account");
        callback(refused, tokenFor(refused, claims -> claims.audience("someone-else")));
        List<String> audit = output.getAll()
                .lines()
                .filter(line -> line.contains("fecify.audit") && line.contains("session outcome="))
                .toList();
        assertThat(audit)
                .anyMatch(line -> line.contains("session outcome=login_ok caller=user-1"))
                .anyMatch(line -> line.contains("session outcome=logout caller=user-1"))
                .anyMatch(line -> line.contains("session outcome=login_failed caller=- login_error=invalid_token"))
                .noneMatch(line -> line.contains("eyJ") || line.contains("rt-1") || line.contains(session));
        String metrics = HTTP.send(
                        HttpRequest.newBuilder(
                                        URI.create("http://localhost:" + managementPort + "/actuator/prometheus"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(metrics)
                .containsPattern("fecify_gateway_sessions_events_total\\{[^}]*event=\"login_ok\"[^}]*} [1-9]")
                .containsPattern("fecify_gateway_sessions_events_total\\{[^}]*event=\"login_failed\"[^}]*} [1-9]")
                .containsPattern("fecify_gateway_sessions_events_total\\{[^}]*event=\"logout\"[^}]*} [1-9]")
                .contains("fecify_gateway_sessions_active")
                .doesNotContain(session);
        assertThat(output.getAll())
                .as("no log line carries a token or the cookie's value")
                .doesNotContain(session)
                .doesNotContain("eyJ")
                .doesNotContain("rt-1");
    }

    @Test
    void aPageOnAListedOriginMayUseTheSessionWithItsCookieAndAnUnlistedOneMayNot() throws Exception {
        for (String[] route :
                List.of(new String[] {"/bff/session", "GET"}, new String[] {"/bff/logout", "POST"}, new String[] {
                    "/v1/customers/574", "PATCH"
                })) {
            HttpResponse<String> listed = send(preflight(route[0], route[1], SHOP));
            assertThat(listed.statusCode()).as(route[0]).isEqualTo(200);
            assertThat(listed.headers().firstValue("Access-Control-Allow-Origin"))
                    .hasValue(SHOP);
            assertThat(listed.headers().firstValue("Access-Control-Allow-Credentials"))
                    .hasValue("true");
            assertThat(listed.headers()
                            .firstValue("Access-Control-Allow-Headers")
                            .orElse(""))
                    .containsIgnoringCase("X-CSRF-Protection");

            HttpResponse<String> unlisted = send(preflight(route[0], route[1], "https://evil.example"));
            assertThat(unlisted.statusCode()).as(route[0]).isEqualTo(403);
            assertThat(unlisted.headers().firstValue("Access-Control-Allow-Origin"))
                    .isEmpty();
        }
        String session = signIn(claims -> {});
        HttpResponse<String> fromElsewhere =
                send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/bff/session"))
                        .header("Origin", "https://evil.example")
                        .header("Cookie", COOKIE + "=" + session)
                        .build());
        assertThat(fromElsewhere.statusCode())
                .as("a page on an unlisted origin gets nothing")
                .isEqualTo(403);
        assertThat(fromElsewhere.body()).doesNotContain("customer_id");
    }

    private HttpRequest preflight(String path, String method, String origin) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", method)
                .header("Access-Control-Request-Headers", "x-csrf-protection,content-type")
                .build();
    }

    @Test
    void theSessionCookieIsHttpOnlySecureStrictAndItsValueOnlyAnId() throws Exception {
        SignInStart start = start(SHOP + "/account");
        HttpResponse<String> callback = callback(start, tokenFor(start, claims -> {}));
        String cookie = setCookie(callback, COOKIE);
        assertThat(cookie).contains("HttpOnly", "Secure", "SameSite=Strict", "Path=/");
        assertThat(cookie).doesNotContain("Domain");
        assertThat(value(cookie)).matches("[0-9a-f-]{36}");
        assertThat(start.cookie()).contains("SameSite=Lax", "HttpOnly", "Secure");
        assertThat(callback.headers().firstValue("Location")).hasValue(SHOP + "/account");
    }

    @Test
    void signInAsksForACodeWithPkceStateAndNonce() throws Exception {
        SignInStart start = start(SHOP + "/account");
        assertThat(start.location()).startsWith(issuer() + "/auth?");
        Map<String, String> query = query(start.location());
        assertThat(query)
                .containsEntry("response_type", "code")
                .containsEntry("client_id", CLIENT_ID)
                .containsEntry("code_challenge_method", "S256")
                .containsEntry("redirect_uri", "https://api.example.com/bff/callback")
                .containsKeys("state", "nonce", "code_challenge");
        assertThat(query.get("scope")).contains("openid");
    }

    @Test
    void returnToElsewhereIsRefusedWithoutARedirect() throws Exception {
        for (String elsewhere : List.of(
                "https://evil.example/",
                "//evil.example/",
                "https://shop.example.com.evil.example/",
                "https://shop.example.com@evil.example/",
                "javascript:alert(1)",
                "/relative")) {
            HttpResponse<String> answer =
                    send(get("/bff/login?return_to=" + URLEncoder.encode(elsewhere, StandardCharsets.UTF_8), null));
            assertThat(answer.statusCode()).as(elsewhere).isEqualTo(400);
            assertThat(answer.headers().firstValue("Location")).as(elsewhere).isEmpty();
            assertThat(answer.body()).contains("validation_failed", "return_to");
        }
    }

    /**
     * A code is bound to the sign-in that asked for it (PKCE): the gateway sends that sign-in's verifier with it, and a
     * provider refuses a code it has seen (invalid_grant). A second sign-in carrying a used code, with a fresh state of
     * its own, gets {@code invalid_token} and no session.
     */
    @Test
    void aCodeUsedTwiceStartsNoSecondSession() throws Exception {
        SignInStart first = start(SHOP + "/account");
        assertThat(setCookie(callback(first, tokenFor(first, claims -> {})), COOKIE))
                .isNotNull();
        fecify.verify(WireMock.postRequestedFor(urlPathEqualTo("/idp/token"))
                .withRequestBody(WireMock.containing("code=c"))
                .withRequestBody(WireMock.matching(".*code_verifier=[A-Za-z0-9_~.-]{43,}.*")));

        fecify.stubFor(WireMock.post(urlPathEqualTo("/idp/token"))
                .withRequestBody(WireMock.containing("code=c"))
                .willReturn(WireMock.aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"invalid_grant\",\"error_description\":\"Code not valid\"}")));
        SignInStart second = start(SHOP + "/account");
        assertLoginError(callback(second, null), "invalid_token");
    }

    @Test
    void aForgedReplayedOrForeignStateStartsNoSession() throws Exception {
        SignInStart start = start(SHOP + "/account");
        HttpResponse<String> forged =
                send(get("/bff/callback?code=c&state=forged", null, "__Host-fecify-signin=" + value(start.cookie())));
        assertLoginError(forged, "invalid_state");
        SignInStart again = start(SHOP + "/account");
        HttpResponse<String> foreign =
                send(get("/bff/callback?code=c&state=" + query(again.location()).get("state"), null));
        assertLoginError(foreign, "invalid_state");

        SignInStart third = start(SHOP + "/account");
        stubToken(tokenFor(third, claims -> {}));
        assertThat(setCookie(callback(third, null), COOKIE)).isNotNull();
        assertLoginError(callback(third, null), "invalid_state"); // the same callback again: replayed
    }

    @Test
    void anIdTokenThatIsNotTheProvidersForThisSignInStartsNoSession() throws Exception {
        Map<String, Consumer<JWTClaimsSet.Builder>> bad = new HashMap<>();
        bad.put("wrong audience", claims -> claims.audience("someone-else"));
        bad.put("wrong issuer", claims -> claims.issuer("https://evil.example"));
        bad.put("wrong nonce", claims -> claims.claim("nonce", "not-this-sign-in"));
        bad.put(
                "expired",
                claims -> claims.expirationTime(Date.from(Instant.now().minusSeconds(600)))
                        .issueTime(Date.from(Instant.now().minusSeconds(900))));
        for (var entry : bad.entrySet()) {
            SignInStart start = start(SHOP + "/account");
            assertLoginError(callback(start, tokenFor(start, entry.getValue())), "invalid_token");
        }
        SignInStart otherKey = start(SHOP + "/account");
        assertLoginError(callback(otherKey, sign(claimsFor(otherKey, claims -> {}), OTHER_KEY)), "invalid_token");
        SignInStart noCustomer = start(SHOP + "/account");
        assertLoginError(
                callback(noCustomer, tokenFor(noCustomer, claims -> claims.claim("customer_id", null))), "no_customer");
    }

    @Test
    void anIdSetBeforeSignInIsNeverTheSessions() throws Exception {
        String planted = "11111111-2222-3333-4444-555555555555";
        SignInStart start = start(SHOP + "/account");
        HttpResponse<String> callback = send(get(
                "/bff/callback?code=c&state=" + query(start.location()).get("state"),
                planted,
                "__Host-fecify-signin=" + value(start.cookie()),
                () -> stubToken(tokenFor(start, claims -> {}))));
        assertThat(callback.statusCode()).isEqualTo(302);
        String session = value(setCookie(callback, COOKIE));
        assertThat(session).isNotEqualTo(planted);
        assertThat(send(get("/bff/session", planted)).statusCode()).isEqualTo(401);
        assertThat(send(get("/bff/session", session)).statusCode()).isEqualTo(200);
    }

    /** With sessions on, springdoc finds two of the /bff routes itself: the document served is still the one. */
    @Test
    void theDocumentServedWithSessionsOnIsTheCommittedOne() throws Exception {
        HttpResponse<String> served = send(get("/v3/api-docs", null));
        assertThat(served.statusCode()).isEqualTo(200);
        tools.jackson.databind.ObjectMapper json = new tools.jackson.databind.ObjectMapper();
        assertThat(json.readTree(served.body()))
                .isEqualTo(
                        json.readTree(java.nio.file.Path.of("docs/openapi.json").toFile()));
    }

    /**
     * The back-channel route takes a body from anyone who can reach it, so it has the update routes' limits: a body
     * that trickles holds no request thread and is answered 408 once the body-read timeout has passed; one over
     * 64 KiB is 413, chunked or announced; the sessions go on meanwhile.
     */
    @Test
    void backChannelBodiesThatTrickleOrOverflowHoldNoThread() throws Exception {
        String session = signIn(claims -> {});
        List<java.net.Socket> sockets = new java.util.ArrayList<>();
        java.util.concurrent.ExecutorService tricklers = java.util.concurrent.Executors.newCachedThreadPool();
        java.util.concurrent.atomic.AtomicBoolean trickling = new java.util.concurrent.atomic.AtomicBoolean(true);
        try {
            for (int i = 0; i < 2 * THREADS; i++) {
                java.net.Socket socket = new java.net.Socket("localhost", port);
                sockets.add(socket);
                java.io.OutputStream out = socket.getOutputStream();
                out.write(("POST /bff/backchannel-logout HTTP/1.1\r\nHost: x\r\nContent-Type:"
                                + " application/x-www-form-urlencoded\r\nContent-Length: 2000\r\n\r\nlogout_token=")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                tricklers.submit(() -> {
                    while (trickling.get()) {
                        Thread.sleep(300);
                        out.write('a');
                        out.flush();
                    }
                    return null;
                });
            }
            Thread.sleep(300);
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                assertThat(send(get("/bff/session", session)).statusCode()).isEqualTo(200);
                assertThat((System.nanoTime() - start) / 1_000_000)
                        .as("a session call while %d back-channel bodies trickle, ms", sockets.size())
                        .isLessThan(1_000);
            }
            java.net.Socket stalled = new java.net.Socket("localhost", port);
            sockets.add(stalled);
            stalled.setSoTimeout(5_000);
            stalled.getOutputStream()
                    .write(("POST /bff/backchannel-logout HTTP/1.1\r\nHost: x\r\nContent-Type:"
                                    + " application/x-www-form-urlencoded\r\nContent-Length: 50\r\n\r\nlogout_")
                            .getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            String answer = new String(stalled.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(answer).isEqualTo("HTTP/1.1 408");
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(800L, 3_000L);
        } finally {
            trickling.set(false);
            tricklers.shutdownNow();
            for (java.net.Socket socket : sockets) {
                socket.close();
            }
        }
        byte[] big = ("logout_token=" + "a".repeat(70_000)).getBytes(StandardCharsets.US_ASCII);
        HttpResponse<String> chunked =
                send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/bff/backchannel-logout"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)))
                        .build());
        assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(413);
        HttpResponse<String> announced =
                send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/bff/backchannel-logout"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(big))
                        .build());
        assertThat(announced.statusCode()).isEqualTo(413);
        assertThat(send(get("/bff/session", session)).statusCode()).isEqualTo(200);
    }

    // --- the browser and the provider, by hand

    private record SignInStart(String location, String cookie) {}

    private SignInStart start(String returnTo) throws Exception {
        HttpResponse<String> login =
                send(get("/bff/login?return_to=" + URLEncoder.encode(returnTo, StandardCharsets.UTF_8), null));
        assertThat(login.statusCode()).as(login.body()).isEqualTo(302);
        return new SignInStart(
                login.headers().firstValue("Location").orElseThrow(), setCookie(login, "__Host-fecify-signin"));
    }

    private String signIn(Consumer<JWTClaimsSet.Builder> claims) throws Exception {
        return signIn(claims, 300);
    }

    private String signIn(Consumer<JWTClaimsSet.Builder> claims, int expiresIn) throws Exception {
        SignInStart start = start(SHOP + "/account");
        stubToken(tokenFor(start, claims), expiresIn);
        HttpResponse<String> callback = callback(start, null);
        assertThat(callback.statusCode()).isEqualTo(302);
        assertThat(callback.headers().firstValue("Location")).hasValue(SHOP + "/account");
        return value(setCookie(callback, COOKIE));
    }

    private HttpResponse<String> callback(SignInStart start, @Nullable String idToken) throws Exception {
        if (idToken != null) {
            stubToken(idToken);
        }
        return send(get(
                "/bff/callback?code=c&state=" + query(start.location()).get("state"),
                null,
                "__Host-fecify-signin=" + value(start.cookie())));
    }

    private void stubToken(String idToken) {
        stubToken(idToken, 300);
    }

    private void stubToken(String idToken, int expiresIn) {
        PROVIDER.tokenAnswers(idToken, expiresIn);
    }

    private String tokenFor(SignInStart start, Consumer<JWTClaimsSet.Builder> change) {
        return sign(claimsFor(start, change), SIGNING_KEY);
    }

    private JWTClaimsSet claimsFor(SignInStart start, Consumer<JWTClaimsSet.Builder> change) {
        return PROVIDER.idClaims(start.location(), change);
    }

    private JWTClaimsSet logoutToken(Consumer<JWTClaimsSet.Builder> change) {
        return PROVIDER.logoutClaims(change);
    }

    private HttpResponse<String> backChannel(String logoutToken) throws Exception {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/bff/backchannel-logout"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "logout_token=" + URLEncoder.encode(logoutToken, StandardCharsets.UTF_8)))
                .build());
    }

    private static void assertLoginError(HttpResponse<String> answer, String error) {
        assertThat(answer.statusCode()).isEqualTo(302);
        assertThat(answer.headers().firstValue("Location"))
                .hasValueSatisfying(
                        location -> assertThat(location).startsWith(SHOP + "/").contains("login_error=" + error));
        assertThat(answer.headers().allValues("Set-Cookie"))
                .as("no session starts")
                .noneMatch(cookie -> cookie.startsWith(COOKIE + "=") && !cookie.startsWith(COOKIE + "=;"));
    }

    private HttpRequest get(String path, @Nullable String session, String... cookies) {
        return request("GET", path, session, false, "", cookies);
    }

    private HttpRequest get(String path, @Nullable String session, String cookie, Runnable before) {
        before.run();
        return request("GET", path, session, false, "", cookie);
    }

    private HttpRequest patch(String path, String session, boolean csrf, String body) {
        return request("PATCH", path, session, csrf, body);
    }

    private HttpRequest post(String path, String session, boolean csrf, String body) {
        return request("POST", path, session, csrf, body);
    }

    private HttpRequest request(
            String method, String path, @Nullable String session, boolean csrf, String body, String... cookies) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (!body.isEmpty()) {
            builder.header("Content-Type", "application/json");
        }
        StringBuilder cookie = new StringBuilder();
        if (session != null) {
            cookie.append(COOKIE).append('=').append(session);
        }
        for (String other : cookies) {
            cookie.append(cookie.isEmpty() ? "" : "; ").append(other);
        }
        if (!cookie.isEmpty()) {
            builder.header("Cookie", cookie.toString());
        }
        if (csrf) {
            builder.header("X-CSRF-Protection", "1");
        }
        return builder.build();
    }

    /** Every answer is held against docs/openapi.json: the /bff routes and a session's PATCH as documented. */
    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return AnswerContract.send(HTTP, request);
    }

    private static String setCookie(HttpResponse<String> answer, String name) {
        return FakeProvider.setCookie(answer, name);
    }

    private static String value(String setCookie) {
        return FakeProvider.value(setCookie);
    }

    private static Map<String, String> query(String url) {
        return FakeProvider.query(url);
    }

    private static String sign(JWTClaimsSet claims, RSAKey key) {
        return TestJwts.sign(claims, key);
    }
}
