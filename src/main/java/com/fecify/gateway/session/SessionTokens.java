package com.fecify.gateway.session;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;

/**
 * A session follows the provider: before a session is used, its tokens are refreshed on the server if they have
 * expired (Spring Security's authorized-client manager, the tokens in the session); a refresh the provider refuses
 * (the user disabled, the session ended there) ends the session.
 */
public final class SessionTokens {

    private static final Logger audit = LoggerFactory.getLogger("fecify.audit");

    private static final Logger log = LoggerFactory.getLogger(SessionTokens.class);

    private final OAuth2AuthorizedClientManager clients;
    private final OAuth2AuthorizedClientRepository tokens;
    private final ClientRegistrationRepository registrations;
    private final RestClient provider;

    SessionTokens(
            OAuth2AuthorizedClientManager clients,
            OAuth2AuthorizedClientRepository tokens,
            ClientRegistrationRepository registrations) {
        this.clients = clients;
        this.tokens = tokens;
        this.registrations = registrations;
        this.provider = ProviderCalls.restClient();
    }

    /**
     * At sign-out: revokes the session's refresh token at the provider (RFC 7009), where its discovery document names a
     * revocation endpoint. A provider that does not answer delays sign-out by at most its timeouts; the session ends
     * either way.
     */
    void revoke(Authentication user, HttpServletRequest request) {
        if (!(user instanceof OAuth2AuthenticationToken token)) {
            return;
        }
        OAuth2AuthorizedClient client =
                tokens.loadAuthorizedClient(token.getAuthorizedClientRegistrationId(), user, request);
        if (client == null || client.getRefreshToken() == null) {
            return;
        }
        ClientRegistration registration = registrations.findByRegistrationId(token.getAuthorizedClientRegistrationId());
        Object endpoint =
                registration.getProviderDetails().getConfigurationMetadata().get("revocation_endpoint");
        if (!(endpoint instanceof String revocation)) {
            return;
        }
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("token", client.getRefreshToken().getTokenValue());
        form.add("token_type_hint", "refresh_token");
        try {
            provider.post()
                    .uri(revocation)
                    .headers(headers -> headers.setBasicAuth(
                            URLEncoder.encode(registration.getClientId(), StandardCharsets.UTF_8),
                            URLEncoder.encode(registration.getClientSecret(), StandardCharsets.UTF_8)))
                    .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                    .body(form)
                    .retrieve()
                    .toBodilessEntity();
        } catch (RuntimeException e) {
            log.warn(
                    "Could not revoke a signed-out session's refresh token at the provider ({})",
                    e.getClass().getSimpleName());
        }
    }

    /** Whether the session may still act for its user; when not, it has ended. */
    public boolean follow(OAuth2AuthenticationToken user, HttpServletRequest request, HttpServletResponse response) {
        OAuth2AuthorizedClient client;
        try {
            OAuth2AuthorizedClient stored =
                    tokens.loadAuthorizedClient(user.getAuthorizedClientRegistrationId(), user, request);
            OAuth2AuthorizeRequest.Builder authorize = stored == null
                    ? OAuth2AuthorizeRequest.withClientRegistrationId(user.getAuthorizedClientRegistrationId())
                    // the client as it is now (its secret may have been rotated since sign-in), the session's tokens
                    : OAuth2AuthorizeRequest.withAuthorizedClient(new OAuth2AuthorizedClient(
                            registrations.findByRegistrationId(user.getAuthorizedClientRegistrationId()),
                            stored.getPrincipalName(),
                            stored.getAccessToken(),
                            stored.getRefreshToken()));
            client = clients.authorize(authorize
                    .principal(user)
                    .attribute(HttpServletRequest.class.getName(), request)
                    .attribute(HttpServletResponse.class.getName(), response)
                    .build());
        } catch (OAuth2AuthorizationException refused) {
            client = null;
        }
        if (client != null) {
            return true;
        }
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        audit.info("session outcome=ended caller={} reason=refresh_refused", user.getName());
        return false;
    }
}
