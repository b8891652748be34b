package com.fecify.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fecify.gateway.FecifyGatewayApplication;
import com.fecify.gateway.GatewayHarness;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
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
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;

/**
 * The example frontend ({@code examples/keycloak-frontend}) with the real parts: Keycloak's distribution (from Maven
 * Central) importing the example realm, the gateway in demo mode, headless Chromium (Debian's, driven through its
 * chromedriver). The user signs in through Keycloak's login page (code + PKCE), updates customer 574 through the page,
 * is refused for 575 and for a field outside the end-user list, reads every problem body and the exposed headers; the
 * same page served from an origin the gateway does not list is blocked by the browser.
 */
class KeycloakFrontendIT {

    private static final Path EXAMPLE = Path.of("examples/keycloak-frontend");
    private static final Duration KEYCLOAK_START = Duration.ofSeconds(180);

    private static Process keycloak;
    private static Path keycloakLog;
    private static ConfigurableApplicationContext gateway;
    private static final List<HttpServer> pages = new ArrayList<>();
    private static WebDriver browser;
    private static String listedOrigin;
    private static String unlistedOrigin;

    @BeforeAll
    static void start() throws Exception {
        String chromium = Tools.required("chromium", "Debian package chromium");
        String chromedriver = Tools.required("chromedriver", "Debian package chromium-driver");
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

        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir="
                        + Files.createTempDirectory("chromium-it").toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(chromedriver))
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
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

    /** Opens the page, signs in through Keycloak's login page (or its session, on a second visit). */
    private static void signIn(String origin) {
        browser.get(origin + "/");
        wait(Duration.ofSeconds(15)).until(driver -> "true".equals(readyFlag()));
        browser.findElement(By.id("sign-in")).click();
        wait(Duration.ofSeconds(30))
                .until(driver -> driver.getCurrentUrl().startsWith(origin)
                        || !driver.findElements(By.id("username")).isEmpty());
        if (!browser.findElements(By.id("username")).isEmpty()) {
            browser.findElement(By.id("username")).sendKeys("ada");
            browser.findElement(By.id("password")).sendKeys("ada-password");
            browser.findElement(By.id("kc-login")).click();
        }
        wait(Duration.ofSeconds(30))
                .until(driver -> driver.getCurrentUrl().startsWith(origin)
                        && "true".equals(readyFlag())
                        && driver.findElement(By.id("update")).isDisplayed());
    }

    private static String readyFlag() {
        return (String) ((JavascriptExecutor) browser).executeScript("return document.body.dataset.ready || ''");
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

    /** The example's files as they are, but config.js, which points at this run's Keycloak and gateway. */
    private static HttpServer servePage(int port, String config) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String name = path.equals("/") ? "index.html" : path.substring(1);
            byte[] body;
            if (name.equals("config.js")) {
                body = config.getBytes(StandardCharsets.UTF_8);
            } else if (name.matches("[a-z-]+\\.(html|js)")
                    && Files.isRegularFile(EXAMPLE.resolve(name))) {
                body = Files.readAllBytes(EXAMPLE.resolve(name));
            } else {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            exchange.getResponseHeaders()
                    .set("Content-Type", name.endsWith(".html") ? "text/html" : "text/javascript");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    /** Keycloak in dev mode on its own port, the example realm imported with this run's page origins. */
    private static void startKeycloak(int port, int listedPort, int unlistedPort) throws Exception {
        Path home = Path.of(System.getProperty("keycloak.home", "target/keycloak/keycloak"));
        if (!Files.isRegularFile(home.resolve("bin/kc.sh"))) {
            throw new AssertionError("no Keycloak at " + home + " (the e2e profile unpacks it)");
        }
        Path data = home.resolve("data");
        FileSystemUtils.deleteRecursively(data); // a fresh realm each run
        Files.createDirectories(data.resolve("import"));
        String realm = Files.readString(EXAMPLE.resolve("realm-shop.json"))
                .replace("http://localhost:5173/*", "http://localhost:" + listedPort + "/*")
                .replace("http://localhost:5174/*", "http://localhost:" + unlistedPort + "/*");
        Files.writeString(data.resolve("import/realm-shop.json"), realm);
        keycloakLog = Files.createTempFile("keycloak-it", ".log");
        ProcessBuilder builder = new ProcessBuilder(
                        home.resolve("bin/kc.sh").toString(),
                        "start-dev",
                        "--http-port=" + port,
                        "--http-management-port=" + GatewayHarness.freePort(),
                        "--import-realm")
                .redirectErrorStream(true)
                .redirectOutput(keycloakLog.toFile());
        builder.environment().put("JAVA_HOME", Tools.javaHome(21));
        keycloak = builder.start();
        HttpClient http = HttpClient.newHttpClient();
        URI discovery = URI.create("http://localhost:" + port + "/realms/shop/.well-known/openid-configuration");
        await().atMost(KEYCLOAK_START)
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptionsInstanceOf(IOException.class) // not listening yet
                .until(() -> {
                    if (!keycloak.isAlive()) {
                        throw new AssertionError("Keycloak stopped; see " + keycloakLog);
                    }
                    return http.send(
                                            HttpRequest.newBuilder(discovery).build(),
                                            HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                            == 200;
                });
    }
}
