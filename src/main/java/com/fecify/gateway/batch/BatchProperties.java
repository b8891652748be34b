package com.fecify.gateway.batch;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code POST /v1/customers/batch}.
 *
 * @param concurrency items in flight to the store at once, per batch (inside the global in-flight limit)
 * @param maxDuration a batch the caller's rate could not send within this long, counting the items its other running
 *     batches still owe, is refused up front (429)
 * @param maxConcurrentPerCaller batches one caller may have running (or still uploading) on an instance at once; more
 *     are refused (429) before their bodies are read
 * @param reserveForSingleUpdates the share of a caller's bucket a batch leaves to the caller's single updates: a batch
 *     item takes a token only while this share of the bucket stays (an item that has waited a second takes one as a
 *     single update would)
 */
@ConfigurationProperties("gateway.batch")
record BatchProperties(
        @DefaultValue("4") int concurrency,
        @DefaultValue("60s") Duration maxDuration,
        @DefaultValue("4") int maxConcurrentPerCaller,
        @DefaultValue("0.2") double reserveForSingleUpdates) {}
