package com.fecify.gateway.update;

import com.fecify.gateway.error.ErrorCode;
import com.fecify.gateway.error.GatewayException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON as the gateway reads a body: UTF-8 only (no NUL byte, no overlong or invalid sequence, no UTF-16/32), one
 * object, no field twice, nothing after it, nesting, numbers and strings bounded. Knows nothing of customers.
 */
public final class StrictJson {

    /** Deeper than this is refused while parsing: an update body is one flat object. */
    static final int MAX_NESTING = 32;

    static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING)
                            .maxStringLength(64 * 1024)
                            .maxNumberLength(64)
                            .build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private StrictJson() {}

    /** The body as one JSON object, read strictly; refused as {@code malformed_json} otherwise. */
    public static ObjectNode object(byte @Nullable [] body) {
        if (body == null || body.length == 0) {
            throw new GatewayException(ErrorCode.MALFORMED_JSON, "The body is empty; send a JSON object.");
        }
        if (!isStrictUtf8(body)) {
            throw new GatewayException(
                    ErrorCode.MALFORMED_JSON,
                    "The body must be JSON in UTF-8: it has bytes that are not (a NUL byte, an overlong or invalid"
                            + " sequence, or another encoding such as UTF-16).");
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw new GatewayException(ErrorCode.MALFORMED_JSON, describe(e));
        }
        if (tree == null || tree.isMissingNode()) {
            throw new GatewayException(ErrorCode.MALFORMED_JSON, "The body is empty; send a JSON object.");
        }
        if (!tree.isObject()) {
            throw new GatewayException(
                    ErrorCode.MALFORMED_JSON, "The body must be a JSON object, not " + kind(tree) + ".");
        }
        return (ObjectNode) tree;
    }

    /**
     * Only well-formed UTF-8, and no NUL byte: JSON's own encoding, strictly. Jackson would otherwise take UTF-16 or
     * UTF-32 by their zero bytes, and decode overlong forms ({@code C0 AF} for {@code /}) that strict decoders refuse.
     */
    private static boolean isStrictUtf8(byte[] body) {
        for (byte b : body) {
            if (b == 0) {
                return false;
            }
        }
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** Where the JSON broke, without echoing parser internals. */
    private static String describe(JacksonException e) {
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        String what = original.startsWith("Duplicate") ? "has a field twice" : "is not valid JSON";
        if (original.contains("Trailing token")) {
            what = "has text after the JSON object";
        } else if (e instanceof StreamConstraintsException) {
            what = original.contains("nesting depth")
                    ? "nests deeper than " + MAX_NESTING + " levels"
                    : "has a number or string longer than allowed";
        }
        TokenStreamLocation location = e.getLocation();
        String where = location == null || location.getLineNr() < 1
                ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
        return "The body " + what + where + "; send one JSON object.";
    }

    /** What a JSON value is, for messages: "an array", "a string", ... */
    public static String kind(JsonNode tree) {
        if (tree.isArray()) {
            return "an array";
        }
        if (tree.isString()) {
            return "a string";
        }
        if (tree.isNumber()) {
            return "a number";
        }
        if (tree.isBoolean()) {
            return "a boolean";
        }
        return "null";
    }
}
