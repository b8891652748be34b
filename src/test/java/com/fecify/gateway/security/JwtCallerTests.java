package com.fecify.gateway.security;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fecify.gateway.GatewayHarness;
import com.fecify.gateway.TestJwts;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * End users of a frontend with a JWT signed by a key generated here and served from a WireMock JWK-set endpoint: they
 * may change only their own customer and only the self-service fields; every bad token is a 401.
 */
@ExtendWith(OutputCaptureExtension.class)
class JwtCallerTests extends GatewayHarness {

    static final RSAKey SIGNING_KEY = TestJwts.generate("signing-key");
    static final RSAKey OTHER_KEY = TestJwts.generate("signing-key");
    static final String ISSUER = "https://id.example.com/";
    static final String AUDIENCE = "fecify-gateway";

    @DynamicPropertySource
    static void jwtCallers(DynamicPropertyRegistry registry) {
        defaults(registry);
        registry.add("gateway.jwt.jwk-set-uri", () -> fecify.baseUrl() + "/.well-known/jwks.json");
        registry.add("gateway.jwt.audience", () -> AUDIENCE);
    }

    @BeforeEach
    void serveKeys() {
        fecify.stubFor(
                get("/.well-known/jwks.json").willReturn(okJson(new JWKSet(SIGNING_KEY.toPublicJWK()).toString())));
    }

    @Test
    void endUserChangesOwnNameAndMarketingConsent(CapturedOutput output) {
        storeAnswers(successEnvelope(574));

        patch(574, token(claims("user-1", 574)), "{\"first_name\":\"yunlong2\",\"accepts_marketing\":2}")
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.id")
                .isEqualTo(574);

        assertThat(storeCalls()).isEqualTo(1);
        // a store's answer is audited once it has been delivered, so the line may follow the answer by a moment
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(output.getOut())
                        .containsPattern("caller=user-1 customer_id=574 fields=first_name,accepts_marketing"
                                + " outcome=success"));
    }

    @Test
    void customerIdClaimMayBeAString() {
        storeAnswers(successEnvelope(574));
        JWTClaimsSet claims = new JWTClaimsSet.Builder(claims("user-1", 574))
                .claim("customer_id", "574")
                .build();

        patch(574, token(claims), "{\"last_name\":\"li\"}").expectStatus().isOk();
    }

    @Test
    void endUserMayNotTouchAnotherCustomer() {
        patch(575, token(claims("user-1", 574)), "{\"first_name\":\"x\"}")
                .expectStatus()
                .isForbidden()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code")
                .isEqualTo("forbidden")
                .jsonPath("$.errors[0].field")
                .isEqualTo("id");
        dropIn(token(claims("user-1", 574)), "{\"id\":575,\"first_name\":\"x\"}")
                .expectStatus()
                .isForbidden()
                .expectBody()
                .jsonPath("$.code")
                .isEqualTo(403);
        assertThat(storeCalls()).isZero();
    }

    @Test
    void endUserMayNotSendOtherFields() {
        patch(574, token(claims("user-1", 574)), "{\"first_name\":\"x\",\"note\":\"vip\",\"customervip_id\":3}")
                .expectStatus()
                .isForbidden()
                .expectBody()
                .jsonPath("$.code")
                .isEqualTo("forbidden")
                .jsonPath("$.detail")
                .value(String.class, d -> assertThat(d).contains("note, customervip_id"))
                .jsonPath("$.errors[*].field")
                .isEqualTo(List.of("note", "customervip_id"));
        assertThat(storeCalls()).isZero();
    }

    @Test
    void tokenWithoutCustomerIdClaimIsForbidden() {
        JWTClaimsSet claims = new JWTClaimsSet.Builder(claims("user-1", 574))
                .claim("customer_id", null)
                .build();

        patch(574, token(claims), "{\"first_name\":\"x\"}")
                .expectStatus()
                .isForbidden()
                .expectBody()
                .jsonPath("$.detail")
                .value(String.class, d -> assertThat(d).contains("customer_id"));
    }

    @Test
    void expiredTokenIs401() {
        JWTClaimsSet claims = new JWTClaimsSet.Builder(claims("user-1", 574))
                .issueTime(Date.from(Instant.now().minusSeconds(7200)))
                .expirationTime(Date.from(Instant.now().minusSeconds(3600)))
                .build();

        refused(token(claims)).jsonPath("$.detail").isEqualTo("The token has expired.");
    }

    @Test
    void tokenSignedWithAnotherKeyIs401() {
        refused(TestJwts.sign(claims("user-1", 574), OTHER_KEY));
    }

    @Test
    void tokenForAnotherAudienceIs401() {
        refused(token(new JWTClaimsSet.Builder(claims("user-1", 574))
                .audience("another-api")
                .build()));
    }

    @Test
    void unsignedTokenIs401() {
        refused(new PlainJWT(claims("user-1", 574)).serialize());
    }

    @Test
    void garbageShapedLikeAJwtIs401() {
        refused("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.bm90LWEtc2lnbmF0dXJl");
    }

    @Test
    void apiKeysWorkBesideJwts() {
        storeAnswers(successEnvelope(575));

        patch(575, KEY, "{\"note\":\"service may\"}").expectStatus().isOk();
        api().patch()
                .uri("/v1/customers/575")
                .header("X-API-Key", KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"note\":\"service may\"}")
                .exchange()
                .expectStatus()
                .isOk();
        api().patch()
                .uri("/v1/customers/575")
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"note\":\"nobody\"}")
                .exchange()
                .expectStatus()
                .isUnauthorized();
    }

    @Test
    void tokenWithoutExpiryOrSubjectIsRefused() {
        JWTClaimsSet noExpiry = new JWTClaimsSet.Builder(claims("user-1", 574))
                .expirationTime(null)
                .build();
        refused(token(noExpiry));
        JWTClaimsSet noSubject =
                new JWTClaimsSet.Builder(claims("user-1", 574)).subject(null).build();
        refused(token(noSubject));
    }

    /** RFC 9068 access tokens, as identity providers issue them, carry typ at+jwt. */
    @Test
    void accessTokenTypedAtJwtIsAccepted() {
        storeAnswers(successEnvelope(574));
        patch(
                        574,
                        TestJwts.sign(claims("user-1", 574), SIGNING_KEY, new JOSEObjectType("at+jwt")),
                        "{\"last_name\":\"li\"}")
                .expectStatus()
                .isOk();
    }

    /** The scheme in any case and extra spaces: read the same whether JWTs are on (here) or off. */
    @Test
    void bearerKeyWithExtraSpacesIsReadAsWithoutJwts() {
        storeAnswers(successEnvelope(574));
        api().patch()
                .uri("/v1/customers/574")
                .header("Authorization", "BEARER  " + KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"first_name\":\"x\"}")
                .exchange()
                .expectStatus()
                .isOk();
    }

    @Test
    void endUserWithoutUsableClaimIsAudited(CapturedOutput output) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder(claims("user-9", 574))
                .claim("customer_id", "not-a-number")
                .build();
        patch(574, token(claims), "{\"first_name\":\"x\"}").expectStatus().isForbidden();
        assertThat(output.getOut())
                .containsPattern("caller=user-9 customer_id=574 fields=- outcome=forbidden status=403");
    }

    /** A subject with line breaks cannot start an audit line of its own. */
    @Test
    void subjectWithLineBreaksCannotForgeAnAuditLine(CapturedOutput output) {
        String forged = "evil\nupdate request_id=forged caller=admin customer_id=1 outcome=success";
        JWTClaimsSet claims =
                new JWTClaimsSet.Builder(claims("user-1", 574)).subject(forged).build();
        patch(575, token(claims), "{\"first_name\":\"x\"}").expectStatus().isForbidden();
        // escaped once in a plain line, and once more inside a JSON one (structured logging)
        assertThat(output.getOut())
                .containsPattern("caller=evil\\\\{1,2}u000aupdate\\\\{1,2}u0020request_id\\\\{1,2}u003dforged");
        assertThat(output.getOut().lines()).noneMatch(line -> line.startsWith("update request_id=forged"));
    }

    /**
     * A subject with spaces cannot pass for the line's own keys: its spaces and {@code =} are escaped, so the first
     * {@code outcome=} of its line is the gateway's.
     */
    @Test
    void subjectWithSpacesCannotForgeAuditKeys(CapturedOutput output) {
        String forged = "bob outcome=success status=200 customer_id=575";
        JWTClaimsSet claims =
                new JWTClaimsSet.Builder(claims("user-1", 574)).subject(forged).build();
        patch(575, token(claims), "{\"first_name\":\"x\"}").expectStatus().isForbidden();

        // escaped once in a plain line, and once more inside a JSON one (structured logging)
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(output.getOut())
                        .containsPattern("caller=bob\\\\{1,2}u0020outcome\\\\{1,2}u003dsuccess\\\\{1,2}u0020status"
                                + "\\\\{1,2}u003d200\\\\{1,2}u0020customer_id\\\\{1,2}u003d575 customer_id=575"
                                + " fields=first_name outcome=forbidden"));
        assertThat(output.getOut().lines().filter(line -> line.contains("caller=bob")))
                .isNotEmpty()
                .allSatisfy(line -> {
                    String fromCaller = line.substring(line.indexOf("caller=bob"));
                    assertThat(fromCaller.substring(fromCaller.indexOf("outcome=")))
                            .startsWith("outcome=forbidden");
                });
    }

    private RestTestClient.BodyContentSpec refused(String token) {
        RestTestClient.BodyContentSpec body = patch(574, token, "{\"first_name\":\"x\"}")
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .valueEquals("WWW-Authenticate", "Bearer realm=\"fecify-gateway\", error=\"invalid_token\"")
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code")
                .isEqualTo("unauthorized");
        assertThat(storeCalls()).isZero();
        return body;
    }

    private RestTestClient.ResponseSpec patch(long id, String bearer, String body) {
        return api().patch()
                .uri("/v1/customers/" + id)
                .header("Authorization", "Bearer " + bearer)
                .contentType(MediaType.APPLICATION_JSON)
                .body(body)
                .exchange();
    }

    private RestTestClient.ResponseSpec dropIn(String bearer, String body) {
        return api().post()
                .uri("/api/skill/customer/update-customer")
                .header("Authorization", "Bearer " + bearer)
                .contentType(MediaType.APPLICATION_JSON)
                .body(body)
                .exchange();
    }

    private static JWTClaimsSet claims(String subject, long customerId) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(subject)
                .audience(AUDIENCE)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .claim("customer_id", customerId)
                .build();
    }

    private static String token(JWTClaimsSet claims) {
        return TestJwts.sign(claims, SIGNING_KEY);
    }
}
