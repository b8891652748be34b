package com.fecify.gateway.session;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;

/**
 * A session follows the provider: before a session is used, its tokens are refreshed on the server if they have
 * expired (Spring Security's authorized-client manager, the tokens in the session); a refresh the provider refuses
 * (the user disabled, the session ended there) ends the session.
 */
public final class SessionTokens {

    private static final Logger audit = LoggerFactory.getLogger("fecify.audit");

    private final OAuth2AuthorizedClientManager clients;

    SessionTokens(OAuth2AuthorizedClientManager clients) {
        this.clients = clients;
    }

    /** Whether the session may still act for its user; when not, it has ended. */
    public boolean follow(OAuth2AuthenticationToken user, HttpServletRequest request, HttpServletResponse response) {
        OAuth2AuthorizedClient client;
        try {
            client = clients.authorize(
                    OAuth2AuthorizeRequest.withClientRegistrationId(user.getAuthorizedClientRegistrationId())
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
        audit.info("session event=ended caller={} reason=refresh_refused", user.getName());
        return false;
    }
}
