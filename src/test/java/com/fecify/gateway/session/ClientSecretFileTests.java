package com.fecify.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fecify.gateway.SecretSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.AuthorizationGrantType;

/** A rotated client secret file is used from the next sign-in, refresh or revocation on; an unreadable one is not. */
class ClientSecretFileTests {

    @Test
    void theSecretFollowsTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("secret");
        Files.writeString(file, "first-secret\n");
        ClientSecretFile clients = new ClientSecretFile(
                registration("first-secret"), SecretSource.fromFile(file, "the test's secret file"));
        assertThat(clients.findByRegistrationId("fecify").getClientSecret()).isEqualTo("first-secret");

        Files.writeString(file, "second-secret-rotated\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(clients.findByRegistrationId("fecify").getClientSecret()).isEqualTo("second-secret-rotated");

        Files.writeString(file, "");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
        assertThat(clients.findByRegistrationId("fecify").getClientSecret())
                .as("a secret file that turned empty (a rotation half done) keeps the last secret")
                .isEqualTo("second-secret-rotated");

        Files.delete(file);
        assertThat(clients.findByRegistrationId("fecify").getClientSecret())
                .as("a secret file that went away keeps the last secret")
                .isEqualTo("second-secret-rotated");
        assertThat(clients.findByRegistrationId("other")).isNull();
    }

    private static ClientRegistration registration(String secret) {
        return ClientRegistration.withRegistrationId("fecify")
                .clientId("fecify-gateway")
                .clientSecret(secret)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUri("https://api.example.com/bff/callback")
                .authorizationUri("https://id.example.com/auth")
                .tokenUri("https://id.example.com/token")
                .build();
    }
}
