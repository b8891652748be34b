package com.fecify.gateway.security;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;

/**
 * A caller identified by API key. Before authentication it holds the presented key; afterwards only the client id:
 * the key is dropped so nothing downstream (logs, audit, errors) can ever see it.
 */
final class ApiKeyAuthentication extends AbstractAuthenticationToken {

    private final String principal;
    private transient String key;

    private ApiKeyAuthentication(String principal, String key, boolean authenticated) {
        super(authenticated ? AuthorityUtils.createAuthorityList("ROLE_SERVICE") : List.of());
        this.principal = principal;
        this.key = key;
        setAuthenticated(authenticated);
    }

    static ApiKeyAuthentication unauthenticated(String key) {
        return new ApiKeyAuthentication("unknown", key, false);
    }

    static ApiKeyAuthentication authenticated(String clientId) {
        return new ApiKeyAuthentication(clientId, "", true);
    }

    String key() {
        return key;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Object getPrincipal() {
        return principal;
    }

    @Override
    public String getName() {
        return principal;
    }

    @Override
    public void eraseCredentials() {
        key = "";
    }

    @Override
    public String toString() {
        return "ApiKeyAuthentication[client=" + principal + ", authenticated=" + isAuthenticated() + "]";
    }
}
