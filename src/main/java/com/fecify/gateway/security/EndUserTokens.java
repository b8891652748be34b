package com.fecify.gateway.security;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;

/**
 * The JWT side of authentication: a decoder that checks signature (keys from the JWK set or the issuer's discovery
 * document, fetched on first use), expiry, issuer and audience; and a resolver that hands the resource server only
 * bearer tokens shaped like JWTs, so API keys in {@code Authorization: Bearer} keep working beside them.
 */
final class EndUserTokens {

    private EndUserTokens() {}

    static JwtDecoder decoder(GatewaySecurityProperties.Jwt jwt) {
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        // expiry with the configured clock leeway; a token without exp would never expire, one without sub would
        // share one rate bucket with every other such token: both refused
        validators.add(new JwtTimestampValidator(jwt.clockSkew()));
        validators.add(new JwtClaimValidator<@Nullable Instant>(JwtClaimNames.EXP, Objects::nonNull));
        validators.add(
                new JwtClaimValidator<@Nullable String>(JwtClaimNames.SUB, sub -> sub != null && !sub.isBlank()));
        // plain JWTs, and OAuth 2.0 access tokens as RFC 9068 types them (typ at+jwt), as identity providers issue
        JwtTypeValidator types = new JwtTypeValidator("JWT", "at+jwt");
        types.setAllowEmpty(true);
        validators.add(types);
        if (GatewaySecurityProperties.hasText(jwt.issuerUri())) {
            validators.add(new JwtIssuerValidator(jwt.issuerUri()));
        }
        String audience = jwt.audience();
        if (GatewaySecurityProperties.hasText(audience)) {
            validators.add(new JwtClaimValidator<@Nullable List<String>>(
                    JwtClaimNames.AUD, aud -> aud != null && aud.contains(audience)));
        }
        OAuth2TokenValidator<Jwt> validator = JwtValidators.createDefaultWithValidators(validators);
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
        return (HttpServletRequest request) -> {
            String token = ApiKeyAuthenticationConverter.bearer(request.getHeader(HttpHeaders.AUTHORIZATION));
            return token != null && ApiKeyAuthenticationConverter.looksLikeJwt(token) ? token : null;
        };
    }
}
