package com.fecify.gateway.session;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fecify.gateway.TestJwts;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * An OpenID Connect provider played by a WireMock server under {@code /idp}: discovery, keys, a token endpoint that
 * answers the ID token a test signs, a revocation endpoint; and what a test needs to walk a sign-in by hand (the
 * gateway's cookies, the query of its redirect, ID and logout tokens).
 */
public final class FakeProvider {

    public static final String CLIENT_ID = "fecify-gateway";
    public static final String CLIENT_SECRET = "client-secret-5Gh8";
    public static final String SESSION_COOKIE = "__Host-fecify-session";
    public static final String SIGN_IN_COOKIE = "__Host-fecify-signin";
    public static final RSAKey SIGNING_KEY = TestJwts.generate("provider-key");

    private final WireMockServer server;

    public FakeProvider(WireMockServer server) {
        this.server = server;
    }

    public String issuer() {
        return server.baseUrl() + "/idp";
    }

    /**
     * Sessions on against this provider, browsers returning to {@code shop} (also the CORS origin). Discovery is stubbed
     * here too: the gateway reads it as its context starts.
     */
    public void sessionProperties(DynamicPropertyRegistry registry, String shop) {
        stub();
        registry.add("gateway.sessions.issuer-uri", this::issuer);
        registry.add("gateway.sessions.client-id", () -> CLIENT_ID);
        registry.add("gateway.sessions.client-secret", () -> CLIENT_SECRET);
        registry.add("gateway.sessions.public-url", () -> "https://api.example.com");
        registry.add("gateway.sessions.return-origins", () -> shop);
        registry.add("gateway.cors.allowed-origins", () -> shop);
    }

    /** Discovery, the signing key and a revocation endpoint that takes anything. */
    public void stub() {
        String issuer = issuer();
        server.stubFor(WireMock.get(urlPathEqualTo("/idp/.well-known/openid-configuration"))
                .willReturn(okJson("{\"issuer\":\"" + issuer + "\",\"authorization_endpoint\":\"" + issuer
                        + "/auth\",\"token_endpoint\":\"" + issuer + "/token\",\"jwks_uri\":\"" + issuer
                        + "/keys\",\"revocation_endpoint\":\"" + issuer
                        + "/revoke\",\"response_types_supported\":[\"code\"],\"subject_types_supported\":[\"public\"],"
                        + "\"id_token_signing_alg_values_supported\":[\"RS256\"]}")));
        server.stubFor(WireMock.get(urlPathEqualTo("/idp/keys"))
                .willReturn(okJson(new JWKSet(SIGNING_KEY.toPublicJWK()).toString())));
        server.stubFor(WireMock.post(urlPathEqualTo("/idp/revoke")).willReturn(WireMock.ok()));
    }

    /** The token endpoint's next answers: this ID token, an access token and the refresh token {@code rt-1}. */
    public void tokenAnswers(String idToken, int expiresIn) {
        server.stubFor(WireMock.post(urlPathEqualTo("/idp/token"))
                .willReturn(okJson("{\"access_token\":\"at-1\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn
                        + ",\"refresh_token\":\"rt-1\",\"id_token\":\"" + idToken + "\"}")));
    }

    /** A valid ID token's claims for the sign-in whose redirect to the provider is {@code location}, then changed. */
    public JWTClaimsSet idClaims(String location, Consumer<JWTClaimsSet.Builder> change) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer())
                .subject("user-1")
                .audience(CLIENT_ID)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .claim("nonce", query(location).get("nonce"))
                .claim("customer_id", 574);
        change.accept(claims);
        return claims.build();
    }

    public String idToken(String location, Consumer<JWTClaimsSet.Builder> change) {
        return TestJwts.sign(idClaims(location, change), SIGNING_KEY);
    }

    /** A valid logout token's claims (user-1, no sid), then changed. */
    public JWTClaimsSet logoutClaims(Consumer<JWTClaimsSet.Builder> change) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer())
                .subject("user-1")
                .audience(CLIENT_ID)
                .issueTime(Date.from(Instant.now()))
                .jwtID(UUID.randomUUID().toString())
                .claim("events", Map.of("http://schemas.openid.net/event/backchannel-logout", Map.of()));
        change.accept(claims);
        return claims.build();
    }

    public String logoutToken(Consumer<JWTClaimsSet.Builder> change) {
        return TestJwts.sign(logoutClaims(change), SIGNING_KEY);
    }

    /**
     * A whole sign-in, as a browser and this provider would make it: {@code /bff/login} on the gateway at {@code
     * loginPort}, the provider's redirect back to the one at {@code callbackPort} (the same or another replica) with an
     * ID token of these claims. Returns the session cookie's value.
     */
    public String signIn(
            HttpClient http, int loginPort, int callbackPort, String returnTo, Consumer<JWTClaimsSet.Builder> claims)
            throws IOException, InterruptedException {
        HttpResponse<String> login = http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + loginPort + "/bff/login?return_to="
                                + URLEncoder.encode(returnTo, StandardCharsets.UTF_8)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).as("/bff/login").isEqualTo(302);
        String location = login.headers().firstValue("Location").orElseThrow();
        tokenAnswers(idToken(location, claims), 300);
        HttpResponse<String> callback = http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + callbackPort + "/bff/callback?code=c&state="
                                + URLEncoder.encode(query(location).get("state"), StandardCharsets.UTF_8)))
                        .header("Cookie", SIGN_IN_COOKIE + "=" + value(setCookie(login, SIGN_IN_COOKIE)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(callback.statusCode()).as("/bff/callback").isEqualTo(302);
        assertThat(callback.headers().firstValue("Location")).hasValue(returnTo);
        return value(setCookie(callback, SESSION_COOKIE));
    }

    /** The cookie {@code name} that an answer sets (not one it clears), whole; null when none. */
    public static @Nullable String setCookie(HttpResponse<String> answer, String name) {
        return answer.headers().allValues("Set-Cookie").stream()
                .filter(cookie -> cookie.startsWith(name + "=") && !cookie.startsWith(name + "=;"))
                .findFirst()
                .orElse(null);
    }

    /** A Set-Cookie's value. */
    public static String value(String setCookie) {
        return setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
    }

    public static Map<String, String> query(String url) {
        Map<String, String> query = new HashMap<>();
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            int equals = pair.indexOf('=');
            query.put(
                    URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return query;
    }
}
