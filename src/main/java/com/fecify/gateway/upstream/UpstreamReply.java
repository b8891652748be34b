package com.fecify.gateway.upstream;

import tools.jackson.databind.JsonNode;

/**
 * A successful update as the store answered it.
 *
 * @param envelope the whole envelope text ({@code {"code":200,"data":...}}), token redacted
 * @param data the envelope's {@code data} object: the updated customer
 */
public record UpstreamReply(String envelope, JsonNode data) {}
