package com.fecify.gateway.security;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;

import com.fecify.gateway.GatewayHarness;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

/** With {@code gateway.jwt.issuer-uri}, keys come from the issuer's discovery document and {@code iss} must match. */
class JwtIssuerTests extends GatewayHarness {

    static final RSAKey KEY_PAIR = generate();

    static String issuer() {
        return fecify.baseUrl() + "/realms/shop";
    }

    @DynamicPropertySource
    static void issuerOnly(DynamicPropertyRegistry registry) {
        defaults(registry);
        registry.add("gateway.jwt.issuer-uri", JwtIssuerTests::issuer);
        registry.add("gateway.jwt.customer-id-claim", () -> "fecify_customer");
    }

    @BeforeEach
    void serveDiscovery() {
        fecify.stubFor(get("/realms/shop/.well-known/openid-configuration")
                .willReturn(okJson("{\"issuer\":\"" + issuer() + "\",\"jwks_uri\":\"" + issuer()
                        + "/certs\",\"subject_types_supported\":[\"public\"]}")));
        fecify.stubFor(get("/realms/shop/certs").willReturn(okJson(new JWKSet(KEY_PAIR.toPublicJWK()).toString())));
    }

    @Test
    void tokenFromTheIssuerIsAccepted() {
        storeAnswers(successEnvelope(574));

        patch(token(issuer())).expectStatus().isOk();
    }

    @Test
    void tokenFromAnotherIssuerIs401() {
        patch(token("https://id.other.example/realms/shop"))
                .expectStatus()
                .isUnauthorized()
                .expectBody()
                .jsonPath("$.code")
                .isEqualTo("unauthorized");
    }

    private RestTestClient.ResponseSpec patch(String token) {
        return api().patch()
                .uri("/v1/customers/574")
                .header("Authorization", "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"first_name\":\"x\"}")
                .exchange();
    }

    private static String token(String issuer) {
        try {
            Instant now = Instant.now();
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256)
                            .keyID(KEY_PAIR.getKeyID())
                            .build(),
                    new JWTClaimsSet.Builder()
                            .issuer(issuer)
                            .subject("user-9")
                            .issueTime(Date.from(now))
                            .expirationTime(Date.from(now.plusSeconds(300)))
                            .claim("fecify_customer", 574)
                            .build());
            jwt.sign(new RSASSASigner(KEY_PAIR));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey generate() {
        try {
            return new RSAKeyGenerator(2048).keyID("issuer-key").generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
