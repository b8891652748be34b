package com.fecify.gateway.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

/**
 * The JWT side of authentication: a decoder that checks signature (keys from the JWK set or the issuer's discovery
 * document, fetched on first use), expiry, issuer and audience; and a resolver that hands the resource server only
 * bearer tokens shaped like JWTs, so API keys in {@code Authorization: Bearer} keep working beside them.
 */
final class EndUserTokens {

    private EndUserTokens() {}

    static JwtDecoder decoder(GatewaySecurityProperties.Jwt jwt) {
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(
                GatewaySecurityProperties.hasText(jwt.issuerUri())
                        ? JwtValidators.createDefaultWithIssuer(jwt.issuerUri())
                        : JwtValidators.createDefault());
        String audience = jwt.audience();
        if (GatewaySecurityProperties.hasText(audience)) {
            validators.add(new JwtClaimValidator<@Nullable List<String>>(
                    JwtClaimNames.AUD, aud -> aud != null && aud.contains(audience)));
        }
        OAuth2TokenValidator<Jwt> validator = new DelegatingOAuth2TokenValidator<>(validators);
        String jwkSetUri = jwt.jwkSetUri();
        String issuerUri = jwt.issuerUri();
        return new SupplierJwtDecoder(() -> {
            NimbusJwtDecoder decoder = GatewaySecurityProperties.hasText(jwkSetUri)
                    ? NimbusJwtDecoder.withJwkSetUri(jwkSetUri).build()
                    : NimbusJwtDecoder.withIssuerLocation(issuerUri).build();
            decoder.setJwtValidator(validator);
            return decoder;
        });
    }

    static BearerTokenResolver jwtOnly() {
        DefaultBearerTokenResolver standard = new DefaultBearerTokenResolver();
        return (HttpServletRequest request) -> {
            String token = standard.resolve(request);
            return token != null && ApiKeyAuthenticationConverter.looksLikeJwt(token) ? token : null;
        };
    }
}
