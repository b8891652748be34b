package com.fecify.gateway.customer;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code POST /v1/customers/batch}.
 *
 * @param concurrency items in flight to the store at once, per batch (inside the global in-flight limit)
 * @param maxDuration a batch the caller's rate could not send within this long is refused up front (429)
 */
@ConfigurationProperties("gateway.batch")
record BatchProperties(
        @DefaultValue("4") int concurrency,
        @DefaultValue("60s") Duration maxDuration) {}
