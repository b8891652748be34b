package com.fecify.gateway.store;

import com.fecify.gateway.SecretSource;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Takes out of the store's answers what callers must never see, in names and values as JSON decodes them: the token in every form the gateway can derive (as is,
 * lower and upper case, Base64 and Base64url), the store's address (origin, host and port, path prefix), and, in a
 * failure's message, anything shaped like a Java stack frame or class name.
 */
final class StoreRedaction {

    static final String REDACTED = "[REDACTED]";
    private static final String STORE = "[store]";
    /** Shorter tokens are taken out of messages only: in customer data they would be found by chance. */
    private static final int MIN_TOKEN_IN_DATA = 8;

    private static final Pattern STACK_FRAME = Pattern.compile("\\s*\\bat\\s+[\\w$.]+\\([^)]*\\)");
    /** A token's form stands alone: not inside a word (a letter or digit on either side). */
    private static final String TOKEN_EDGE_BEFORE = "(?<![A-Za-z0-9])";

    private static final String TOKEN_EDGE_AFTER = "(?![A-Za-z0-9])";
    private static final Logger log = LoggerFactory.getLogger(StoreRedaction.class);
    private static final Pattern CLASS_NAME = Pattern.compile("\\b(?:[a-z_][\\w$]*\\.){2,}[A-Z][\\w$]*\\b");

    private final SecretSource tokens;
    private final JsonMapper jsonMapper;
    private final List<String> address;
    private volatile Forms forms = new Forms("", List.of(), List.of());

    StoreRedaction(SecretSource tokens, URI store, JsonMapper jsonMapper) {
        this.tokens = tokens;
        this.jsonMapper = jsonMapper;
        List<String> parts = new ArrayList<>();
        parts.add(store.getScheme() + "://" + store.getRawAuthority());
        parts.add(store.getRawAuthority());
        String path = store.getRawPath();
        int api = path == null ? -1 : path.indexOf("/api/skill/");
        if (api > 1) {
            parts.add(path.substring(0, api)); // the path prefix, such as /apimanager666
        }
        this.address = List.copyOf(parts);
    }

    /** A failure's message from the store, as a caller may see it. */
    String redactMessage(String text) {
        String clean = redact(text, 1);
        clean = STACK_FRAME.matcher(clean).replaceAll("");
        return CLASS_NAME.matcher(clean).replaceAll("[internal]");
    }

    /**
     * Whether a successful answer needs {@link #redactTree} before it reaches a caller: a secret in any name or value
     * as JSON decodes it. The raw text is enough when it holds no escape (every decoded name and value is then a
     * piece of it); with an escape ({@code \\/}, {@code \\u002d}, ...) the tree is searched, since the store may
     * escape what it likes (PHP's {@code json_encode} escapes every {@code /}).
     */
    boolean isNeededIn(String text, JsonNode tree) {
        return text.indexOf('\\') < 0 ? holdsSecret(text) : treeHoldsSecret(tree);
    }

    private boolean treeHoldsSecret(JsonNode node) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> property : node.properties()) {
                if (holdsSecret(property.getKey()) || treeHoldsSecret(property.getValue())) {
                    return true;
                }
            }
            return false;
        }
        if (node.isArray()) {
            for (JsonNode value : node.values()) {
                if (treeHoldsSecret(value)) {
                    return true;
                }
            }
            return false;
        }
        return node.isValueNode() && holdsSecret(node.asString());
    }

    private boolean holdsSecret(String text) {
        for (String secret : forms().secrets()) {
            if (secret.length() >= MIN_TOKEN_IN_DATA && text.contains(secret)) {
                return true;
            }
        }
        for (String part : address) {
            if (text.contains(part)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A copy of {@code node} with every name and value redacted as decoded; the structure stays as it is. A number or
     * boolean holding a secret becomes the string {@code [REDACTED]}.
     */
    JsonNode redactTree(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = jsonMapper.createObjectNode();
            node.properties()
                    .forEach(property ->
                            copy.set(redact(property.getKey(), MIN_TOKEN_IN_DATA), redactTree(property.getValue())));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = jsonMapper.createArrayNode();
            node.values().forEach(value -> copy.add(redactTree(value)));
            return copy;
        }
        if (node.isString()) {
            return jsonMapper.getNodeFactory().stringNode(redact(node.stringValue(), MIN_TOKEN_IN_DATA));
        }
        if (node.isValueNode() && holdsSecret(node.asString())) {
            return jsonMapper.getNodeFactory().stringNode(REDACTED);
        }
        return node;
    }

    private String redact(String text, int minTokenLength) {
        String clean = text;
        Forms current = forms();
        for (int i = 0; i < current.secrets().size(); i++) {
            String secret = current.secrets().get(i);
            if (secret.length() >= minTokenLength && clean.contains(secret)) {
                // whole occurrences only: a short token must not cut into ordinary words ("firs[REDACTED]_name")
                clean = current.wholeWords().get(i).matcher(clean).replaceAll(REDACTED);
            }
        }
        for (String part : address) {
            if (clean.contains(part)) {
                clean = clean.replace(part, STORE);
            }
        }
        return clean;
    }

    /** The token's forms, derived again when the token changes (a rewritten token file). */
    private Forms forms() {
        String token = tokens.current();
        Forms known = forms;
        if (known.token().equals(token)) {
            return known;
        }
        byte[] bytes = token.getBytes(StandardCharsets.UTF_8);
        List<String> secrets = new ArrayList<>(List.of(
                token,
                token.toLowerCase(Locale.ROOT),
                token.toUpperCase(Locale.ROOT),
                Base64.getEncoder().encodeToString(bytes),
                Base64.getEncoder().withoutPadding().encodeToString(bytes),
                Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)));
        // the longest first, so that a form containing another is taken out whole
        secrets.sort((a, b) -> Integer.compare(b.length(), a.length()));
        List<String> distinct =
                secrets.stream().distinct().filter(s -> !s.isEmpty()).toList();
        List<Pattern> wholeWords = distinct.stream()
                .map(secret -> Pattern.compile(TOKEN_EDGE_BEFORE + Pattern.quote(secret) + TOKEN_EDGE_AFTER))
                .toList();
        if (token.length() < MIN_TOKEN_IN_DATA) {
            log.warn(
                    "The store token has only {} characters: it is redacted from the store's messages where it stands"
                            + " alone, but a token this short cannot be told apart from customer data",
                    token.length());
        }
        Forms fresh = new Forms(token, distinct, wholeWords);
        forms = fresh;
        return fresh;
    }

    private record Forms(String token, List<String> secrets, List<Pattern> wholeWords) {}
}
