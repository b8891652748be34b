package com.fecify.gateway.store;

import tools.jackson.databind.JsonNode;

/**
 * A successful update as the store answered it.
 *
 * @param envelope the whole envelope text ({@code {"code":200,"data":...}}), token redacted
 * @param data the envelope's {@code data} object: the updated customer
 */
public record StoreReply(String envelope, JsonNode data) {}
