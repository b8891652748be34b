package com.fecify.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fecify.gateway.FecifyGatewayApplication;
import com.fecify.gateway.GatewayHarness;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The example frontend ({@code examples/keycloak-frontend}) with the real parts: Keycloak's distribution (from Maven
 * Central) importing the example realm, the gateway in demo mode, headless Chromium (Debian's, driven through its
 * chromedriver). The user signs in through Keycloak's login page (code + PKCE), updates customer 574 through the page,
 * is refused for 575 and for a field outside the end-user list, reads every problem body and the exposed headers; the
 * same page served from an origin the gateway does not list is blocked by the browser.
 */
class KeycloakFrontendIT {

    private static final Path EXAMPLE = Path.of("examples/keycloak-frontend");

    private static Process keycloak;
    private static ConfigurableApplicationContext gateway;
    private static final List<HttpServer> pages = new ArrayList<>();
    private static WebDriver browser;
    private static String listedOrigin;
    private static String unlistedOrigin;

    @BeforeAll
    static void start() throws Exception {
        int keycloakPort = GatewayHarness.freePort();
        int gatewayPort = GatewayHarness.freePort();
        int listedPort = GatewayHarness.freePort();
        int unlistedPort = GatewayHarness.freePort();
        listedOrigin = "http://localhost:" + listedPort;
        unlistedOrigin = "http://localhost:" + unlistedPort;
        String issuer = "http://localhost:" + keycloakPort + "/realms/shop";

        startKeycloak(keycloakPort, listedPort, unlistedPort);
        String config = """
                window.FECIFY_CONFIG = { issuer: "%s", clientId: "shop-frontend", gateway: "http://localhost:%d" };
                """.formatted(issuer, gatewayPort);
        pages.add(servePage(listedPort, config));
        pages.add(servePage(unlistedPort, config));

        gateway = new SpringApplicationBuilder(FecifyGatewayApplication.class)
                .profiles("demo")
                // as a deployment sets them (command-line arguments outrank application.yml)
                .run(
                        "--server.port=" + gatewayPort,
                        "--management.server.port=0",
                        "--gateway.jwt.issuer-uri=" + issuer,
                        "--gateway.jwt.audience=fecify-gateway",
                        "--gateway.cors.allowed-origins=" + listedOrigin);

        browser = RealParts.chromium();
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (gateway != null) {
            gateway.close();
        }
        pages.forEach(page -> page.stop(0));
        if (keycloak != null) {
            keycloak.destroy();
            keycloak.waitFor();
        }
    }

    @Test
    void aSignedInUserUpdatesTheirOwnCustomerAndNothingElse() {
        signIn(listedOrigin);
        assertThat(browser.findElement(By.id("who")).getText()).contains("ada").contains("customer 574");

        // through the page's own form
        new Select(browser.findElement(By.id("field"))).selectByVisibleText("first_name");
        browser.findElement(By.id("value")).sendKeys("Grace");
        browser.findElement(By.id("save")).click();
        wait(Duration.ofSeconds(15))
                .until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "HTTP 200"));
        assertThat(browser.findElement(By.id("answer")).getText())
                .contains("\"id\": 574")
                .contains("\"first_name\": \"Grace\"");

        Map<String, Object> other = update(575, "{first_name: 'Eve'}");
        assertThat(other.get("status")).isEqualTo(403L);
        assertThat(body(other).get("code")).isEqualTo("forbidden");
        assertThat((String) other.get("requestId")).as("X-Request-Id is readable").isNotBlank();

        Map<String, Object> field = update(574, "{note: 'vip'}");
        assertThat(field.get("status")).isEqualTo(403L);
        assertThat(body(field).get("code")).isEqualTo("forbidden");
        assertThat(String.valueOf(body(field).get("detail"))).contains("note");

        Map<String, Object> invalid = update(574, "{accepts_marketing: 3}");
        assertThat(invalid.get("status")).isEqualTo(400L);
        assertThat(body(invalid).get("code")).isEqualTo("validation_failed");
        assertThat(String.valueOf(body(invalid).get("errors"))).contains("accepts_marketing");
    }

    @Test
    void theSamePageOnAnOriginTheGatewayDoesNotListIsBlockedByTheBrowser() {
        signIn(unlistedOrigin);
        Map<String, Object> blocked = update(574, "{last_name: 'Mallory'}");
        assertThat(blocked.get("status")).isEqualTo(0L);
        assertThat(String.valueOf(blocked.get("error"))).contains("TypeError");

        // nothing reached the store: the listed origin sees the last name unchanged
        signIn(listedOrigin);
        Map<String, Object> after = update(574, "{phone: '+1 565689891'}");
        assertThat(after.get("status")).isEqualTo(200L);
        assertThat(body(after).get("last_name")).isNotEqualTo("Mallory");
    }

    private static void signIn(String origin) {
        RealParts.signInAsAda(browser, origin);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> update(long customerId, String changes) {
        return (Map<String, Object>) ((JavascriptExecutor) browser)
                .executeAsyncScript(
                        "const done = arguments[arguments.length - 1];"
                                + " window.fecifyUpdate(" + customerId + ", " + changes + ").then(done);");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(Map<String, Object> result) {
        return (Map<String, Object>) result.get("body");
    }

    private static WebDriverWait wait(Duration timeout) {
        return new WebDriverWait(browser, timeout);
    }

    private static HttpServer servePage(int port, String config) throws IOException {
        return RealParts.servePage(port, EXAMPLE, config);
    }

    /** Keycloak with the example realm, its page origins this run's. */
    private static void startKeycloak(int port, int listedPort, int unlistedPort) throws Exception {
        String realm = Files.readString(EXAMPLE.resolve("realm-shop.json"))
                .replace("http://localhost:5173/*", "http://localhost:" + listedPort + "/*")
                .replace("http://localhost:5174/*", "http://localhost:" + unlistedPort + "/*");
        keycloak = RealParts.startKeycloak(port, "shop", realm, Map.of());
    }
}
