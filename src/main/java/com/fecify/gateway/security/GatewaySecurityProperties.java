package com.fecify.gateway.security;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may call the gateway.
 *
 * @param auth {@code api-key} (default) or {@code none}, which turns caller authentication off
 * @param apiKeys caller keys ({@code GATEWAY_API_KEYS}), each {@code client-id:sha256-hex-of-key}
 */
@ConfigurationProperties("gateway")
record GatewaySecurityProperties(
        @DefaultValue("api-key") AuthMode auth,
        @DefaultValue List<String> apiKeys) {

    enum AuthMode {
        API_KEY,
        NONE
    }
}
