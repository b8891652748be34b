package com.fecify.gateway.upstream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Takes out of the store's text what callers must never see: the token and the store's address. */
final class StoreRedaction {

    private final AccessTokenSource tokens;
    private final String origin;
    private final JsonMapper jsonMapper;

    StoreRedaction(AccessTokenSource tokens, String origin, JsonMapper jsonMapper) {
        this.tokens = tokens;
        this.origin = origin;
        this.jsonMapper = jsonMapper;
    }

    /** The store's text without the token or the store's address. */
    String redact(String text) {
        String clean = tokens.redact(text);
        return clean.contains(origin) ? clean.replace(origin, "[store]") : clean;
    }

    /** Whether a whole answer needs {@link #redactStrings} before it reaches a caller. */
    boolean isNeededIn(String text) {
        return tokens.isIn(text) || text.contains(origin);
    }

    /** A copy of {@code node} with every string value redacted; names and structure stay as they are. */
    JsonNode redactStrings(JsonNode node) {
        if (node.isString()) {
            return jsonMapper.getNodeFactory().stringNode(redact(node.stringValue()));
        }
        if (node.isObject()) {
            ObjectNode copy = jsonMapper.createObjectNode();
            node.properties().forEach(property -> copy.set(property.getKey(), redactStrings(property.getValue())));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = jsonMapper.createArrayNode();
            node.values().forEach(value -> copy.add(redactStrings(value)));
            return copy;
        }
        return node;
    }
}
