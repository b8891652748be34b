package com.fecify.gateway.security;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may call the gateway, and how much.
 *
 * @param auth {@code api-key} (default) or {@code none}, which turns caller authentication off
 * @param apiKeys caller keys ({@code GATEWAY_API_KEYS}), each {@code client-id:sha256-hex-of-key}: every field, the
 *     default rate
 * @param clients service clients described in full, by client id
 * @param rateLimit the default rate per caller
 * @param jwt end users of a frontend, authenticated by JWT
 * @param cors which browser origins may call
 */
@ConfigurationProperties("gateway")
record GatewaySecurityProperties(
        @DefaultValue("api-key") AuthMode auth,
        @DefaultValue List<String> apiKeys,
        @DefaultValue Map<String, Client> clients,
        @DefaultValue RateLimit rateLimit,
        @DefaultValue Jwt jwt,
        @DefaultValue Cors cors) {

    enum AuthMode {
        API_KEY,
        NONE
    }

    /**
     * One service client.
     *
     * @param keySha256 the SHA-256 (hex) of the client's key
     * @param fields the updatable fields it may send; all when unset
     * @param ratePerSecond its rate; {@code gateway.rate-limit.per-second} when unset
     */
    record Client(
            @Nullable String keySha256,
            @Nullable List<String> fields,
            @Nullable Double ratePerSecond) {}

    /**
     * @param perSecond updates per second per caller (a token bucket holding one second's worth)
     * @param redisUrl a Redis to share the buckets between replicas ({@code redis://host:6379}); per instance when unset
     * @param redisTimeout the longest a request waits for Redis's answer; past it this instance's buckets answer, and
     *     Redis is tried again a few seconds later
     */
    record RateLimit(
            @DefaultValue("50") double perSecond,
            @Nullable String redisUrl,
            @DefaultValue("50ms") Duration redisTimeout) {}

    /**
     * End users holding a JWT from the frontend's identity provider.
     *
     * @param issuerUri the issuer; its discovery document gives the keys, and {@code iss} must match it
     * @param jwkSetUri the key set, when there is no discovery document
     * @param audience a value {@code aud} must contain; unchecked when unset
     * @param customerIdClaim the claim holding the only customer id the user may update
     * @param fields the fields an end user may change
     * @param clockSkew how far {@code exp} and {@code nbf} may be off the gateway's clock
     */
    record Jwt(
            @Nullable String issuerUri,
            @Nullable String jwkSetUri,
            @Nullable String audience,
            @DefaultValue("customer_id") String customerIdClaim,

            @DefaultValue({"first_name", "last_name", "phone", "phone_prefix", "accepts_marketing"})
            List<String> fields,

            @DefaultValue("60s") Duration clockSkew) {

        boolean enabled() {
            return hasText(issuerUri) || hasText(jwkSetUri);
        }
    }

    /** @param allowedOrigins the browser origins allowed to call, e.g. {@code https://shop-admin.example.com} */
    record Cors(@DefaultValue List<String> allowedOrigins) {}

    static boolean hasText(@Nullable String value) {
        return value != null && !value.isBlank();
    }
}
