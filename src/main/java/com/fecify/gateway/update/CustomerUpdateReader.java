package com.fecify.gateway.update;

import com.fecify.gateway.Caller;
import com.fecify.gateway.error.GatewayException;
import com.fecify.gateway.error.Violation;
import com.fecify.gateway.fields.CustomerChanges;
import com.fecify.gateway.fields.UpdateFields;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads an update body strictly: the JSON tree's names and types first ({@code "1"} is not an integer, null is not a
 * value, unknown fields are named), then Bean Validation on the typed {@link CustomerChanges} for the values. Every
 * broken rule is collected and reported at once; nothing is sent upstream unless the whole body is valid.
 */
@Component
public class CustomerUpdateReader {

    private static final String ID = "id";

    private final Validator validator;

    CustomerUpdateReader(Validator validator) {
        this.validator = validator;
    }

    /** {@code PATCH /v1/customers/{id}}: the id comes from the path; an {@code id} in the body must equal it. */
    CustomerUpdate readPatch(String pathId, byte @Nullable [] body, Caller caller, UpdateAudit audit) {
        ObjectNode json = StrictJson.object(body);
        List<Violation> violations = new ArrayList<>();
        Long id = CustomerChanges.customerId(pathId);
        if (id == null) {
            violations.add(new Violation(ID, CustomerChanges.ID_RULE + " in the path /v1/customers/{id}", pathId));
        }
        JsonNode bodyId = json.get(ID);
        if (bodyId != null) {
            Long sent = bodyId.isIntegralNumber() ? CustomerChanges.customerId(bodyId.asString()) : null;
            if (sent == null) {
                violations.add(new Violation(ID, CustomerChanges.ID_RULE, bodyId));
            } else if (id != null && !sent.equals(id)) {
                violations.add(new Violation(ID, "must equal the id in the path (" + id + "), or be left out", bodyId));
            }
        }
        return read(json, id == null ? 0 : id, violations, caller, audit);
    }

    /** The drop-in route: {@code id} is required in the body, as the store requires it. */
    CustomerUpdate readDropIn(byte @Nullable [] body, Caller caller, UpdateAudit audit) {
        return readWithId(StrictJson.object(body), caller, audit);
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
            id = bodyId.isIntegralNumber() ? CustomerChanges.customerId(bodyId.asString()) : null;
            if (id == null) {
                violations.add(new Violation(ID, CustomerChanges.ID_RULE, bodyId));
            }
        }
        return read(json, id == null ? 0 : id, violations, caller, audit);
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
            if (CustomerChanges.FIXED.contains(name)) {
                violations.add(new Violation(name, CustomerChanges.FIXED_RULE, value));
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
        CallerPermissions.check(caller, id, sent);
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
        ObjectNode upstream = StrictJson.MAPPER.createObjectNode();
        upstream.put(ID, id);
        ObjectNode changes = StrictJson.MAPPER.createObjectNode();
        for (Map.Entry<String, JsonNode> property : json.properties()) {
            UpdateFields.Field field = UpdateFields.byJsonName(property.getKey());
            if (field != null && !leavesUnchanged(field, property.getValue())) {
                changes.set(property.getKey(), property.getValue());
                upstream.set(property.getKey(), property.getValue());
            }
        }
        return new CustomerUpdate(id, sent, changes, StrictJson.MAPPER.writeValueAsBytes(upstream));
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
            violations.add(new Violation(name, "is out of range: at most " + Integer.MAX_VALUE, value));
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
}
