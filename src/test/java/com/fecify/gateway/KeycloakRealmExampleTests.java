package com.fecify.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The settings of the example realm that the gateway's safety rests on, kept as the README says (the end-to-end
 * KeycloakFrontendIT shows the realm working; this shows these choices are not lost by an edit).
 */
class KeycloakRealmExampleTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonNode realm =
            JSON.readTree(Path.of("examples/keycloak-frontend/realm-shop.json").toFile());

    @Test
    void onlyAnAdministratorMaySetACustomerId() {
        JsonNode profile = JSON.readTree(realm.at("/components/org.keycloak.userprofile.UserProfileProvider/0/config")
                .get("kc.user.profile.config")
                .get(0)
                .asString());
        JsonNode customerId = null;
        for (JsonNode attribute : profile.get("attributes")) {
            if (attribute.get("name").asString().equals("customer_id")) {
                customerId = attribute;
            }
        }
        assertThat(customerId)
                .as("customer_id is a declared user-profile attribute")
                .isNotNull();
        assertThat(customerId.at("/permissions/edit").toString())
                .as("a user who may edit customer_id may point the gateway at any customer")
                .isEqualTo("[\"admin\"]");
    }

    @Test
    void theFrontendIsAPublicClientWithPkceAnAudienceAndTheClaim() {
        JsonNode client = realm.get("clients").get(0);
        assertThat(client.get("publicClient").asBoolean()).isTrue();
        assertThat(client.get("directAccessGrantsEnabled").asBoolean()).isFalse();
        assertThat(client.get("implicitFlowEnabled").asBoolean()).isFalse();
        assertThat(client.at("/attributes/pkce.code.challenge.method").asString())
                .isEqualTo("S256");
        assertThat(client.get("protocolMappers").toString())
                .contains("\"included.custom.audience\":\"fecify-gateway\"")
                .contains("\"claim.name\":\"customer_id\"")
                .contains("\"jsonType.label\":\"long\"");
    }
}
