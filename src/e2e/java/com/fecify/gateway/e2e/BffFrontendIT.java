package com.fecify.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fecify.gateway.FecifyGatewayApplication;
import com.fecify.gateway.GatewayHarness;
import com.fecify.gateway.LocalRedis;
import com.sun.net.httpserver.HttpServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The browser-session example ({@code examples/bff-frontend}) with the real parts: Keycloak's distribution importing
 * the example realm (the gateway a confidential client with a back-channel logout URL), two gateway instances in demo
 * mode sharing their sessions in a real redis-server, headless Chromium. The page signs in through Keycloak's login
 * page, updates its own customer, is refused another customer and a field, can read no token, finds its session on the
 * second instance, signs out; signed in again, the user's session ended from Keycloak's admin API ends it here too.
 */
class BffFrontendIT {

    private static final Path EXAMPLE = Path.of("examples/bff-frontend");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Process redis;
    private static Process keycloak;
    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;
    private static HttpServer page;
    private static WebDriver browser;
    private static String pageOrigin;
    private static String keycloakUrl;
    private static int secondPort;

    @BeforeAll
    static void start() throws Exception {
        int redisPort = GatewayHarness.freePort();
        redis = LocalRedis.start(redisPort);
        int keycloakPort = GatewayHarness.freePort();
        int firstPort = GatewayHarness.freePort();
        secondPort = GatewayHarness.freePort();
        int pagePort = GatewayHarness.freePort();
        pageOrigin = "http://localhost:" + pagePort;
        keycloakUrl = "http://localhost:" + keycloakPort;

        String realm = Files.readString(EXAMPLE.resolve("realm-shop-bff.json"))
                .replace("http://localhost:8080/", "http://localhost:" + firstPort + "/");
        keycloak = RealParts.startKeycloak(
                keycloakPort,
                "shop",
                realm,
                Map.of("KC_BOOTSTRAP_ADMIN_USERNAME", "admin", "KC_BOOTSTRAP_ADMIN_PASSWORD", "admin-password"));
        page = RealParts.servePage(
                pagePort, EXAMPLE, "window.FECIFY_CONFIG = { gateway: \"http://localhost:" + firstPort + "\" };");
        first = gateway(firstPort, firstPort, keycloakPort, redisPort);
        second = gateway(secondPort, firstPort, keycloakPort, redisPort);
        browser = RealParts.chromium();
    }

    /** A gateway in demo mode with browser sessions in Redis, as a deployment sets them. */
    private static ConfigurableApplicationContext gateway(int port, int publicPort, int keycloakPort, int redisPort) {
        return new SpringApplicationBuilder(FecifyGatewayApplication.class)
                .profiles("demo")
                .run(
                        "--server.port=" + port,
                        "--management.server.port=0",
                        "--gateway.cors.allowed-origins=" + pageOrigin,
                        "--gateway.rate-limit.redis-url=redis://127.0.0.1:" + redisPort,
                        "--gateway.sessions.issuer-uri=http://localhost:" + keycloakPort + "/realms/shop",
                        "--gateway.sessions.client-id=fecify-gateway",
                        "--gateway.sessions.client-secret=example-gateway-secret",
                        "--gateway.sessions.public-url=http://localhost:" + publicPort,
                        "--gateway.sessions.store=redis");
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
        if (page != null) {
            page.stop(0);
        }
        if (keycloak != null) {
            keycloak.destroy();
            keycloak.waitFor();
        }
        if (redis != null) {
            redis.destroyForcibly();
        }
    }

    @Test
    void aPageWithNoTokenSignsInUpdatesItsCustomerAndIsSignedOutByTheProvider() throws Exception {
        signIn();
        assertThat(browser.findElement(By.id("who")).getText()).contains("customer 574");

        Map<String, Object> own = call("window.fecifyUpdate(574, {first_name: 'Grace'})");
        assertThat(own.get("status")).isEqualTo(200L);
        assertThat((String) own.get("text")).contains("\"first_name\":\"Grace\"");
        assertThat(call("window.fecifyUpdate(575, {first_name: 'Eve'})").get("status"))
                .isEqualTo(403L);
        Map<String, Object> field = call("window.fecifyUpdate(574, {note: 'vip'})");
        assertThat(field.get("status")).isEqualTo(403L);
        assertThat((String) field.get("text")).contains("note");

        // the page's script holds no token: the session cookie is HttpOnly, and no answer it reads is a JWT
        String cookies = (String) script("return document.cookie;");
        assertThat(cookies).doesNotContain("fecify-session");
        Map<String, Object> session = call("window.fecifySession()");
        assertThat(session.get("status")).isEqualTo(200L);
        for (Map<String, Object> answer : List.of(own, field, session)) {
            assertThat((String) answer.get("text")).doesNotContain("eyJ");
        }

        // the second instance knows the session (Redis)
        Map<String, Object> elsewhere = call("window.fecifySession('http://localhost:" + secondPort + "')");
        assertThat(elsewhere.get("status")).isEqualTo(200L);

        assertThat(call("window.fecifySignOut()").get("status")).isEqualTo(204L);
        assertThat(call("window.fecifyUpdate(574, {first_name: 'Ada'})").get("status"))
                .isEqualTo(401L);

        // signed in again, then ended at the provider: Keycloak's back-channel logout ends it here
        signIn();
        assertThat(call("window.fecifySession()").get("status")).isEqualTo(200L);
        endTheUsersSessionsInKeycloak("ada");
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> Long.valueOf(401).equals(call("window.fecifySession()").get("status")));
        assertThat(call("window.fecifyUpdate(574, {first_name: 'Ada'})").get("status"))
                .isEqualTo(401L);
    }

    private static void signIn() {
        RealParts.signInAsAda(browser, pageOrigin);
    }

    private static void endTheUsersSessionsInKeycloak(String username) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> token = http.send(
                HttpRequest.newBuilder(URI.create(keycloakUrl + "/realms/master/protocol/openid-connect/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=admin-cli"
                                + "&username=admin&password=admin-password"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        String admin = JSON.readTree(token.body()).get("access_token").asString();
        HttpResponse<String> users = http.send(
                HttpRequest.newBuilder(URI.create(keycloakUrl + "/admin/realms/shop/users?exact=true&username="
                                + URLEncoder.encode(username, StandardCharsets.UTF_8)))
                        .header("Authorization", "Bearer " + admin)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode user = JSON.readTree(users.body()).get(0);
        HttpResponse<String> logout = http.send(
                HttpRequest.newBuilder(URI.create(
                                keycloakUrl + "/admin/realms/shop/users/" + user.get("id").asString() + "/logout"))
                        .header("Authorization", "Bearer " + admin)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(logout.statusCode()).as(logout.body()).isEqualTo(204);
    }

    private static Object script(String code) {
        return ((JavascriptExecutor) browser).executeScript(code);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> call(String expression) {
        return (Map<String, Object>) ((JavascriptExecutor) browser)
                .executeAsyncScript("const done = arguments[arguments.length - 1]; " + expression + ".then(done);");
    }

}
