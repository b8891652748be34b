package com.fecify.gateway.update;

import com.fecify.gateway.Caller;
import com.fecify.gateway.error.ErrorCode;
import com.fecify.gateway.error.GatewayException;
import com.fecify.gateway.error.Violation;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
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
 * Reads an update body strictly: the JSON tree's names and types first ({@code "1"} is not an integer, null is not a
 * value, unknown fields are named), then Bean Validation on the typed {@link CustomerChanges} for the values. Every
 * broken rule is collected and reported at once; nothing is sent upstream unless the whole body is valid.
 */
@Component
public class CustomerUpdateReader {

    private static final Pattern POSITIVE_INT = Pattern.compile("[1-9][0-9]{0,9}");
    private static final String ID = "id";
    private static final String UPDATES = "updates";

    public static final int MAX_BATCH_ITEMS = 500;
    private static final String ID_RULE = "must be a positive integer (1 to 2147483647)";

    /** Deeper than this is refused while parsing: an update body is one flat object. */
    static final int MAX_NESTING = 32;

    private final JsonMapper strictJson = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING)
                            .maxStringLength(64 * 1024)
                            .maxNumberLength(64)
                            .build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private final Validator validator;

    CustomerUpdateReader(Validator validator) {
        this.validator = validator;
    }

    /** {@code PATCH /v1/customers/{id}}: the id comes from the path; an {@code id} in the body must equal it. */
    CustomerUpdate readPatch(String pathId, byte @Nullable [] body, Caller caller, UpdateAudit audit) {
        ObjectNode json = parse(body);
        List<Violation> violations = new ArrayList<>();
        Long id = positiveInt(pathId);
        if (id == null) {
            violations.add(new Violation(ID, ID_RULE + " in the path /v1/customers/{id}", pathId));
        }
        JsonNode bodyId = json.get(ID);
        if (bodyId != null) {
            Long sent = bodyId.isIntegralNumber() ? positiveInt(bodyId.asString()) : null;
            if (sent == null) {
                violations.add(new Violation(ID, ID_RULE, bodyId));
            } else if (id != null && !sent.equals(id)) {
                violations.add(new Violation(ID, "must equal the id in the path (" + id + "), or be left out", bodyId));
            }
        }
        return read(json, id == null ? 0 : id, violations, caller, audit);
    }

    /** The drop-in route: {@code id} is required in the body, as the store requires it. */
    CustomerUpdate readDropIn(byte @Nullable [] body, Caller caller, UpdateAudit audit) {
        return readWithId(parse(body), caller, audit);
    }

    /** One update of a batch: an object with a required {@code id}, as for the drop-in route. */
    public CustomerUpdate readItem(ObjectNode item, Caller caller, UpdateAudit audit) {
        return readWithId(item, caller, audit);
    }

    private CustomerUpdate readWithId(ObjectNode json, Caller caller, UpdateAudit audit) {
        List<Violation> violations = new ArrayList<>();
        JsonNode bodyId = json.get(ID);
        Long id = null;
        if (bodyId == null) {
            violations.add(new Violation(ID, "is required: the id of the customer to update", null));
        } else {
            id = bodyId.isIntegralNumber() ? positiveInt(bodyId.asString()) : null;
            if (id == null) {
                violations.add(new Violation(ID, ID_RULE, bodyId));
            }
        }
        return read(json, id == null ? 0 : id, violations, caller, audit);
    }

    /**
     * {@code POST /v1/customers/batch}: the items of {@code {"updates": [...]}}, 1 to {@link #MAX_BATCH_ITEMS} objects.
     * Refused as a whole otherwise: not that shape is {@code malformed_json}, a wrong count or an item that is not an
     * object is {@code validation_failed}.
     */
    public List<ObjectNode> readBatch(byte @Nullable [] body) {
        ObjectNode json = parse(body);
        JsonNode updates = json.get(UPDATES);
        if (updates == null || !updates.isArray() || json.size() != 1) {
            throw new GatewayException(
                    ErrorCode.MALFORMED_JSON,
                    "The body must be {\"updates\": [...]}: one field, updates, an array of update objects.");
        }
        if (updates.isEmpty() || updates.size() > MAX_BATCH_ITEMS) {
            throw GatewayException.validation(List.of(new Violation(
                    UPDATES, "must hold 1 to " + MAX_BATCH_ITEMS + " updates; it holds " + updates.size(), null)));
        }
        List<ObjectNode> items = new ArrayList<>(updates.size());
        List<Violation> notObjects = new ArrayList<>();
        for (int i = 0; i < updates.size(); i++) {
            JsonNode item = updates.get(i);
            if (item instanceof ObjectNode object) {
                items.add(object);
            } else {
                notObjects.add(
                        new Violation(UPDATES + "[" + i + "]", "must be an update object, not " + kind(item), null));
            }
        }
        if (!notObjects.isEmpty()) {
            throw GatewayException.validation(notObjects);
        }
        return items;
    }

    private CustomerUpdate read(
            ObjectNode json, long id, List<Violation> violations, Caller caller, UpdateAudit audit) {
        @Nullable Object[] values = new Object[UpdateFields.ALL.size()];
        List<String> sent = new ArrayList<>();
        boolean changesSomething = false;
        boolean unknownNamed = false;
        for (Map.Entry<String, JsonNode> property : json.properties()) {
            String name = property.getKey();
            JsonNode value = property.getValue();
            if (name.equals(ID)) {
                continue;
            }
            if (name.equals("email") || name.equals("status")) {
                violations.add(new Violation(name, "cannot be changed through this API", value));
                continue;
            }
            UpdateFields.Field field = UpdateFields.byJsonName(name);
            if (field == null) {
                // the list of fields is said once, in the first such message: many unknown fields stay a small answer
                violations.add(new Violation(
                        name,
                        unknownNamed
                                ? "unknown field"
                                : "unknown field; the fields that can be changed are " + UpdateFields.ALL_NAMES,
                        value));
                unknownNamed = true;
                continue;
            }
            sent.add(name);
            if (value.isNull()) {
                violations.add(new Violation(name, "must not be null; leave the field out to keep its value", value));
                continue;
            }
            if (leavesUnchanged(field, value)) {
                continue;
            }
            values[field.index()] = typed(field, value, violations);
            changesSomething = true;
        }
        audit.update(id, sent);
        checkPermissions(caller, id, sent);
        validateValues(values, json, violations);
        if (violations.isEmpty() && !changesSomething) {
            violations.add(new Violation(
                    null,
                    "the update changes nothing: send at least one of " + UpdateFields.ALL_NAMES
                            + " (customervip_id \"\" alone leaves everything unchanged)",
                    null));
        }
        if (!violations.isEmpty()) {
            throw GatewayException.validation(inBodyOrder(violations, json));
        }
        // what the store gets: the fields as sent, but id first and without customervip_id "" ("leave unchanged")
        ObjectNode upstream = strictJson.createObjectNode();
        upstream.put(ID, id);
        ObjectNode changes = strictJson.createObjectNode();
        for (Map.Entry<String, JsonNode> property : json.properties()) {
            UpdateFields.Field field = UpdateFields.byJsonName(property.getKey());
            if (field != null && !leavesUnchanged(field, property.getValue())) {
                changes.set(property.getKey(), property.getValue());
                upstream.set(property.getKey(), property.getValue());
            }
        }
        return new CustomerUpdate(id, sent, changes, strictJson.writeValueAsBytes(upstream));
    }

    /**
     * 403 before any value is judged: a field the caller may not change, or (for an end user) another customer.
     * Nothing of it goes upstream.
     */
    private static void checkPermissions(Caller caller, long id, List<String> sent) {
        Long own = caller.customerId();
        if (own != null && id != 0 && id != own) {
            throw new GatewayException(
                    ErrorCode.FORBIDDEN,
                    "This caller may update only its own customer record.",
                    List.of(new Violation(ID, "must be the caller's own customer id", id)),
                    null,
                    null);
        }
        List<Violation> forbidden = sent.stream()
                .filter(field -> !caller.mayChange(field))
                .map(field -> new Violation(field, "may not be changed by this caller", null))
                .toList();
        if (!forbidden.isEmpty()) {
            String names =
                    String.join(", ", forbidden.stream().map(Violation::field).toList());
            throw new GatewayException(
                    ErrorCode.FORBIDDEN,
                    "Caller '" + caller.metricTag() + "' may not change: " + names + ".",
                    forbidden,
                    null,
                    null);
        }
    }

    private static boolean leavesUnchanged(UpdateFields.Field field, JsonNode value) {
        return field.kind() == UpdateFields.Kind.INTEGER_OR_EMPTY
                && value.isString()
                && value.stringValue().isEmpty();
    }

    /** The value as Java sees it, or null (with a violation added) when its JSON type is wrong. */
    private static @Nullable Object typed(UpdateFields.Field field, JsonNode value, List<Violation> violations) {
        String name = field.jsonName();
        if (field.kind() == UpdateFields.Kind.STRING) {
            if (value.isString()) {
                String text = value.stringValue();
                if (!isPlainText(text)) {
                    violations.add(new Violation(
                            name, "must be valid Unicode text without NUL characters or unpaired surrogates", value));
                    return null;
                }
                return text;
            }
            violations.add(new Violation(name, "must be a JSON string", value));
            return null;
        }
        if (!value.isIntegralNumber()) {
            String also = field.kind() == UpdateFields.Kind.INTEGER_OR_EMPTY ? ", or \"\" to leave it unchanged" : "";
            violations.add(
                    new Violation(name, "must be a JSON integer (no quotes, no fraction or exponent)" + also, value));
            return null;
        }
        if (!value.canConvertToInt()) {
            violations.add(new Violation(name, "is out of range: at most 2147483647", value));
            return null;
        }
        return value.intValue();
    }

    /** No U+0000 and no lone UTF-16 surrogate: text the store's database can hold as it is. */
    private static boolean isPlainText(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private void validateValues(@Nullable Object[] values, ObjectNode json, List<Violation> violations) {
        for (ConstraintViolation<CustomerChanges> violation : validator.validate(UpdateFields.changes(values))) {
            String name = UpdateFields.jsonNameOf(violation.getPropertyPath().toString());
            violations.add(new Violation(name, violation.getMessage(), json.get(name)));
        }
    }

    /** Violations in the order their fields stand in the body (Bean Validation reports in no order). */
    private static List<Violation> inBodyOrder(List<Violation> violations, ObjectNode json) {
        Map<String, Integer> position = new HashMap<>();
        for (String name : json.propertyNames()) {
            position.putIfAbsent(name, position.size());
        }
        return violations.stream()
                .sorted(Comparator.comparingInt(v -> {
                    Integer index = v.field() == null ? null : position.get(v.field());
                    if (index != null) {
                        return index;
                    }
                    // the path id, or an id missing from the body, first; a rule about the whole body last
                    return ID.equals(v.field()) ? -1 : Integer.MAX_VALUE;
                }))
                .toList();
    }

    private ObjectNode parse(byte @Nullable [] body) {
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
            tree = strictJson.readTree(body);
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

    private static String kind(JsonNode tree) {
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

    /** A customer id as callers write it, or null. */
    public static @Nullable Long positiveInt(String text) {
        if (!POSITIVE_INT.matcher(text).matches()) {
            return null;
        }
        long value = Long.parseLong(text);
        return value >= 1 && value <= Integer.MAX_VALUE ? value : null;
    }
}
