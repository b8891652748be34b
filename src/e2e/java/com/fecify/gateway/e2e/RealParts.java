package com.fecify.gateway.e2e;

import static org.awaitility.Awaitility.await;

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
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.util.FileSystemUtils;

/** The real parts the browser tests drive: Keycloak's distribution, a static page server, headless Chromium. */
final class RealParts {

    private static final Duration KEYCLOAK_START = Duration.ofSeconds(180);

    private RealParts() {}

    /**
     * Keycloak in dev mode on its own port with {@code realm} imported (a fresh data directory each run), waited for
     * until {@code realmName}'s discovery document answers; {@code environment} adds to its process's.
     */
    static Process startKeycloak(int port, String realmName, String realm, Map<String, String> environment)
            throws Exception {
        Path home = Path.of(System.getProperty("keycloak.home", "target/keycloak/keycloak"));
        if (!Files.isRegularFile(home.resolve("bin/kc.sh"))) {
            throw new AssertionError("no Keycloak at " + home + " (the e2e profile unpacks it)");
        }
        Path data = home.resolve("data");
        FileSystemUtils.deleteRecursively(data); // a fresh realm each run
        Files.createDirectories(data.resolve("import"));
        Files.writeString(data.resolve("import/realm.json"), realm);
        Path log = Files.createTempFile("keycloak-it", ".log");
        ProcessBuilder builder = new ProcessBuilder(
                        home.resolve("bin/kc.sh").toString(),
                        "start-dev",
                        "--http-port=" + port,
                        "--http-management-port=" + GatewayHarness.freePort(),
                        "--import-realm")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", Tools.javaHome(21));
        builder.environment().putAll(environment);
        Process keycloak = builder.start();
        HttpClient http = HttpClient.newHttpClient();
        URI discovery = URI.create(
                "http://localhost:" + port + "/realms/" + realmName + "/.well-known/openid-configuration");
        await().atMost(KEYCLOAK_START)
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptionsInstanceOf(IOException.class) // not listening yet
                .until(() -> {
                    if (!keycloak.isAlive()) {
                        throw new AssertionError("Keycloak stopped; see " + log);
                    }
                    return http.send(
                                            HttpRequest.newBuilder(discovery).build(),
                                            HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                            == 200;
                });
        return keycloak;
    }

    /** The example's files from {@code example} as they are, but config.js, which points at this run's parts. */
    static HttpServer servePage(int port, Path example, String config) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String name = path.equals("/") ? "index.html" : path.substring(1);
            byte[] body;
            if (name.equals("config.js")) {
                body = config.getBytes(StandardCharsets.UTF_8);
            } else if (name.matches("[a-z-]+\\.(html|js)") && Files.isRegularFile(example.resolve(name))) {
                body = Files.readAllBytes(example.resolve(name));
            } else {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", name.endsWith(".html") ? "text/html" : "text/javascript");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    /** Headless Chromium (Debian's), through its chromedriver. */
    static WebDriver chromium() throws IOException {
        String chromium = Tools.required("chromium", "Debian package chromium");
        String chromedriver = Tools.required("chromedriver", "Debian package chromium-driver");
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
                "--user-data-dir=" + Files.createTempDirectory("chromium-it").toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(chromedriver))
                .usingAnyFreePort()
                .build();
        WebDriver browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        return browser;
    }

    /**
     * Opens the example page at {@code origin}, clicks its sign-in button and signs {@code ada} in on Keycloak's login
     * page (or passes through Keycloak's session, on a second visit), until the page is back, ready and signed in.
     */
    static void signInAsAda(WebDriver browser, String origin) {
        browser.get(origin + "/");
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(driver -> "true".equals(readyFlag(driver)));
        browser.findElement(By.id("sign-in")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(driver -> driver.getCurrentUrl().startsWith(origin)
                        || !driver.findElements(By.id("username")).isEmpty());
        if (!browser.findElements(By.id("username")).isEmpty()) {
            browser.findElement(By.id("username")).sendKeys("ada");
            browser.findElement(By.id("password")).sendKeys("ada-password");
            browser.findElement(By.id("kc-login")).click();
        }
        new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(driver -> driver.getCurrentUrl().startsWith(origin)
                        && "true".equals(readyFlag(driver))
                        && driver.findElement(By.id("update")).isDisplayed());
    }

    /** What the example pages set on {@code body} once they have read their state. */
    static String readyFlag(WebDriver browser) {
        return (String) ((JavascriptExecutor) browser).executeScript("return document.body.dataset.ready || ''");
    }
}
