package com.fecify.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/** Missing or invalid configuration stops start-up with a short message naming the variable, and no stack trace. */
@ExtendWith(OutputCaptureExtension.class)
class StartupConfigurationTests {

    private static final String GOOD_KEYS = "gateway.api-keys=billing:" + GatewayHarness.sha256("k");
    private static final String SECRET = "very-secret-token-value";

    static Stream<Arguments> badConfigurations() {
        return Stream.of(
                Arguments.of(List.of("fecify.access-token=" + SECRET, GOOD_KEYS), "FECIFY_BASE_URL"),
                Arguments.of(
                        List.of("fecify.base-url=ftp://shop", "fecify.access-token=" + SECRET, GOOD_KEYS),
                        "FECIFY_BASE_URL (fecify.base-url) must start with http:// or https://"),
                Arguments.of(
                        List.of(
                                "fecify.base-url=https://shop.example.com?x=1",
                                "fecify.access-token=" + SECRET,
                                GOOD_KEYS),
                        "must not have a query"),
                Arguments.of(List.of("fecify.base-url=https://shop.example.com", GOOD_KEYS), "FECIFY_ACCESS_TOKEN"),
                Arguments.of(
                        List.of(
                                "fecify.base-url=https://shop.example.com",
                                "fecify.access-token=" + SECRET,
                                "fecify.access-token-file=/tmp/x",
                                GOOD_KEYS),
                        "set only one"),
                Arguments.of(
                        List.of(
                                "fecify.base-url=https://shop.example.com",
                                "fecify.access-token-file=/nonexistent/fecify-token",
                                GOOD_KEYS),
                        "FECIFY_ACCESS_TOKEN_FILE"),
                Arguments.of(
                        List.of("fecify.base-url=https://shop.example.com", "fecify.access-token=" + SECRET),
                        "GATEWAY_API_KEYS (gateway.api-keys) is empty while GATEWAY_AUTH=api-key"),
                Arguments.of(
                        List.of(
                                "fecify.base-url=https://shop.example.com",
                                "fecify.access-token=" + SECRET,
                                "gateway.api-keys=" + SECRET),
                        "GATEWAY_API_KEYS (gateway.api-keys) entry 1 is not"),
                Arguments.of(
                        List.of(
                                "fecify.base-url=https://shop.example.com",
                                "fecify.access-token=" + SECRET,
                                "gateway.api-keys=billing:" + SECRET),
                        "the hash must be 64 hexadecimal characters"),
                Arguments.of(
                        List.of(
                                "fecify.base-url=https://shop.example.com",
                                "fecify.access-token=" + SECRET,
                                GOOD_KEYS + ",billing:" + GatewayHarness.sha256("k2")),
                        "client id 'billing' is configured twice"),
                Arguments.of(
                        List.of(
                                "fecify.base-url=https://shop.example.com",
                                "fecify.access-token=" + SECRET,
                                GOOD_KEYS,
                                "fecify.response-timeout=0s"),
                        "FECIFY_RESPONSE_TIMEOUT"),
                Arguments.of(
                        List.of(
                                "fecify.base-url=https://shop.example.com",
                                "fecify.access-token=" + SECRET,
                                GOOD_KEYS,
                                "fecify.connect-timeout=soon"),
                        "fecify.connect-timeout"),
                Arguments.of(
                        List.of(
                                "fecify.base-url=https://shop.example.com",
                                "fecify.access-token=" + SECRET,
                                GOOD_KEYS,
                                "gateway.auth=maybe"),
                        "gateway.auth"),
                Arguments.of(
                        List.of(
                                "fecify.base-url=https://shop.example.com",
                                "fecify.access-token=" + SECRET,
                                "gateway.clients.crm.key-sha256=" + SECRET),
                        "gateway.clients.crm ('crm'): the hash must be 64 hexadecimal characters"),
                Arguments.of(
                        List.of(
                                "fecify.base-url=https://shop.example.com",
                                "fecify.access-token=" + SECRET,
                                "gateway.clients.crm.key-sha256=" + GatewayHarness.sha256("k2"),
                                "gateway.clients.crm.fields=first_name,email"),
                        "gateway.clients.crm.fields names 'email', which is not an updatable field"),
                Arguments.of(
                        List.of(
                                "fecify.base-url=https://shop.example.com",
                                "fecify.access-token=" + SECRET,
                                GOOD_KEYS,
                                "gateway.clients.crm.key-sha256=" + GatewayHarness.sha256("k")),
                        "gateway.clients.crm ('crm'): the same key is already given to client 'billing'"),
                Arguments.of(
                        List.of(
                                "fecify.base-url=https://shop.example.com",
                                "fecify.access-token=" + SECRET,
                                "gateway.clients.crm.rate-per-second=5"),
                        "gateway.clients.crm.key-sha256 is not set"),
                Arguments.of(
                        List.of(
                                "fecify.base-url=https://shop.example.com",
                                "fecify.access-token=" + SECRET,
                                GOOD_KEYS,
                                "gateway.cors.allowed-origins=*"),
                        "gateway.cors.allowed-origins: '*' is not an origin"),
                Arguments.of(
                        sessions("gateway.sessions.client-secret=" + SECRET, "gateway.sessions.public-url=https://a.b"),
                        "GATEWAY_SESSIONS_CLIENT_ID (gateway.sessions.client-id) is required"),
                Arguments.of(
                        sessions("gateway.sessions.client-id=gw", "gateway.sessions.public-url=https://a.b"),
                        "set exactly one of GATEWAY_SESSIONS_CLIENT_SECRET and GATEWAY_SESSIONS_CLIENT_SECRET_FILE"),
                Arguments.of(
                        sessions("gateway.sessions.client-id=gw", "gateway.sessions.client-secret=" + SECRET),
                        "GATEWAY_SESSIONS_PUBLIC_URL (gateway.sessions.public-url) must be"),
                Arguments.of(
                        sessions(
                                "gateway.sessions.client-id=gw",
                                "gateway.sessions.client-secret=" + SECRET,
                                "gateway.sessions.public-url=https://a.b",
                                "gateway.sessions.return-origins=https://shop.example.com/path"),
                        "'https://shop.example.com/path' is not an origin"),
                Arguments.of(
                        sessions(
                                "gateway.sessions.client-id=gw",
                                "gateway.sessions.client-secret=" + SECRET,
                                "gateway.sessions.public-url=https://a.b",
                                "gateway.sessions.return-origins=https://shop.example.com",
                                "gateway.sessions.store=redis"),
                        "GATEWAY_SESSIONS_STORE=redis keeps sessions in the Redis at GATEWAY_RATE_LIMIT_REDIS_URL"),
                Arguments.of(
                        sessions(
                                "gateway.sessions.client-id=gw",
                                "gateway.sessions.client-secret=" + SECRET,
                                "gateway.sessions.public-url=https://a.b",
                                "gateway.sessions.return-origins=https://shop.example.com"),
                        "cannot read the provider's OpenID Connect discovery document"));
    }

    /** Sessions on (an issuer nobody answers for) with the rest of a good configuration, and these settings. */
    private static List<String> sessions(String... settings) {
        List<String> properties = new java.util.ArrayList<>(List.of(
                "fecify.base-url=https://shop.example.com",
                "fecify.access-token=" + SECRET,
                GOOD_KEYS,
                "gateway.sessions.issuer-uri=http://127.0.0.1:9/realms/none"));
        properties.addAll(List.of(settings));
        return properties;
    }

    @ParameterizedTest
    @MethodSource("badConfigurations")
    void refusesToStartNamingTheVariable(List<String> properties, String message, CapturedOutput output) {
        assertThatThrownBy(() -> start(properties)).isInstanceOf(Exception.class);

        assertThat(output.getAll())
                .contains("APPLICATION FAILED TO START")
                .contains(message)
                .doesNotContain(SECRET)
                .doesNotContain("\tat ");
    }

    @Test
    void reportsEveryProblemAtOnce(CapturedOutput output) {
        assertThatThrownBy(() -> start(List.of(GOOD_KEYS))).isInstanceOf(Exception.class);

        assertThat(output.getAll()).contains("FECIFY_BASE_URL").contains("FECIFY_ACCESS_TOKEN");
    }

    @Test
    void warnsWhenAuthenticationIsOff(CapturedOutput output) {
        try (ConfigurableApplicationContext context = start(List.of(
                "fecify.base-url=https://shop.example.com", "fecify.access-token=" + SECRET, "gateway.auth=none"))) {
            assertThat(context.isRunning()).isTrue();
        }
        assertThat(output.getAll()).contains("WARN").contains("GATEWAY_AUTH=none: caller authentication is OFF");
    }

    @Test
    void theProcessExitsNonZeroWithAShortMessage() throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                FecifyGatewayApplication.class.getName(),
                "--server.port=0",
                "--management.server.port=0"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("FECIFY_") || name.startsWith("GATEWAY_"));
        builder.environment().put("GATEWAY_API_KEYS", "billing:" + GatewayHarness.sha256("k"));
        builder.directory(new File(System.getProperty("java.io.tmpdir")));
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exits by itself").isTrue();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.exitValue()).isNotZero();
        assertThat(out)
                .contains("FECIFY_BASE_URL")
                .contains("FECIFY_ACCESS_TOKEN")
                .doesNotContain("\tat ");
    }

    private static ConfigurableApplicationContext start(List<String> properties) {
        // as command-line arguments: they outrank application.yml, as environment variables do
        List<String> args = new ArrayList<>();
        properties.forEach(property -> args.add("--" + property));
        args.add("--server.port=0");
        args.add("--management.server.port=0");
        return new SpringApplicationBuilder(FecifyGatewayApplication.class).run(args.toArray(String[]::new));
    }
}
