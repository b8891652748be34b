package com.fecify.gateway.security;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;

/** Accepts a key whose SHA-256 is configured; the authenticated result carries the client id only. */
final class ApiKeyAuthenticationProvider implements AuthenticationProvider {

    private final ApiKeys apiKeys;

    ApiKeyAuthenticationProvider(ApiKeys apiKeys) {
        this.apiKeys = apiKeys;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        ApiKeys.ServiceClient client = apiKeys.clientFor(((ApiKeyAuthentication) authentication).key());
        if (client == null) {
            throw new BadCredentialsException("The API key is not valid.");
        }
        return ApiKeyAuthentication.authenticated(client);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return ApiKeyAuthentication.class.isAssignableFrom(authentication);
    }
}
