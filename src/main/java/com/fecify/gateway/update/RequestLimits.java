package com.fecify.gateway.update;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits on what a caller may take of the gateway while it sends its request.
 *
 * @param bodyReadTimeout a body not fully arrived this long after its headers is answered {@code 408}; while it
 *     arrives no thread waits for it
 */
@ConfigurationProperties("gateway.limits")
public record RequestLimits(@DefaultValue("5s") Duration bodyReadTimeout) {}
