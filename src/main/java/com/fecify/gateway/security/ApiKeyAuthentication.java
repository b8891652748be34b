package com.fecify.gateway.security;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;

/**
 * A caller identified by API key. Before authentication it holds the presented key; afterwards only the client id:
 * the key is dropped so nothing downstream (logs, audit, errors) can ever see it.
 */
final class ApiKeyAuthentication extends AbstractAuthenticationToken {

    private final String principal;
    private final transient ApiKeys.@Nullable ServiceClient client;
    private transient String key;

    private ApiKeyAuthentication(String principal, ApiKeys.@Nullable ServiceClient client, String key) {
        super(client != null ? AuthorityUtils.createAuthorityList("ROLE_SERVICE") : List.of());
        this.principal = principal;
        this.client = client;
        this.key = key;
        setAuthenticated(client != null);
    }

    static ApiKeyAuthentication unauthenticated(String key) {
        return new ApiKeyAuthentication("unknown", null, key);
    }

    static ApiKeyAuthentication authenticated(ApiKeys.ServiceClient client) {
        return new ApiKeyAuthentication(client.id(), client, "");
    }

    /** The client, once authenticated. */
    ApiKeys.@Nullable ServiceClient client() {
        return client;
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
