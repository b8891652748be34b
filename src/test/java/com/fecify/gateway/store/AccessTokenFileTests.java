package com.fecify.gateway.store;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.fecify.gateway.GatewayHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The token from a mounted secret file; a rewritten file is used from the next request on, without restart. */
class AccessTokenFileTests extends GatewayHarness {

    static Path tokenFile;

    @DynamicPropertySource
    static void tokenFromFile(DynamicPropertyRegistry registry) throws Exception {
        defaults(registry);
        tokenFile = Files.createTempFile("fecify-token", ".txt");
        Files.writeString(tokenFile, "  first-token-from-file\n");
        registry.add("fecify.access-token", () -> "");
        registry.add("fecify.access-token-file", () -> tokenFile.toString());
        // no trailing slash this time: the path prefix must be joined the same way
        registry.add("fecify.base-url", () -> fecify.baseUrl() + "/apimanager666");
    }

    @Test
    void usesARewrittenTokenFileFromTheNextRequestOn() throws Exception {
        storeAnswers(successEnvelope(574));

        patch(574, "{\"first_name\":\"x\"}").expectStatus().isOk();
        fecify.verify(postRequestedFor(urlEqualTo(STORE_PATH))
                .withHeader("skill-access-token", equalTo("first-token-from-file")));

        // written the way Kubernetes does: a new file moved over the old one
        Path next = Files.createTempFile(tokenFile.getParent(), "fecify-token", ".tmp");
        Files.writeString(next, "rotated-token\n");
        Files.move(next, tokenFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        fecify.resetRequests();

        patch(574, "{\"first_name\":\"y\"}").expectStatus().isOk();
        fecify.verify(
                postRequestedFor(urlEqualTo(STORE_PATH)).withHeader("skill-access-token", equalTo("rotated-token")));

        // an emptied file keeps the last good token
        Files.writeString(tokenFile, "\n");
        fecify.resetRequests();
        patch(574, "{\"first_name\":\"z\"}").expectStatus().isOk();
        fecify.verify(
                postRequestedFor(urlEqualTo(STORE_PATH)).withHeader("skill-access-token", equalTo("rotated-token")));
    }
}
