package com.fecify.gateway.batch;

import com.fecify.gateway.error.ErrorCode;
import com.fecify.gateway.error.GatewayException;
import com.fecify.gateway.error.Violation;
import com.fecify.gateway.update.StrictJson;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The batch's envelope, {@code {"updates": [...]}}; each item is then read as a single update is. */
public final class BatchBody {

    /** The most items a batch may hold. */
    public static final int MAX_ITEMS = 500;

    private static final String UPDATES = "updates";

    private BatchBody() {}

    /**
     * {@code POST /v1/customers/batch}: the items of {@code {"updates": [...]}}, 1 to {@link #MAX_ITEMS} objects.
     * Refused as a whole otherwise: not that shape is {@code malformed_json}, a wrong count or an item that is not an
     * object is {@code validation_failed}.
     */
    static List<ObjectNode> items(byte @Nullable [] body) {
        ObjectNode json = StrictJson.object(body);
        JsonNode updates = json.get(UPDATES);
        if (updates == null || !updates.isArray() || json.size() != 1) {
            throw new GatewayException(
                    ErrorCode.MALFORMED_JSON,
                    "The body must be {\"updates\": [...]}: one field, updates, an array of update objects.");
        }
        if (updates.isEmpty() || updates.size() > MAX_ITEMS) {
            throw GatewayException.validation(List.of(new Violation(
                    UPDATES, "must hold 1 to " + MAX_ITEMS + " updates; it holds " + updates.size(), null)));
        }
        List<ObjectNode> items = new ArrayList<>(updates.size());
        List<Violation> notObjects = new ArrayList<>();
        for (int i = 0; i < updates.size(); i++) {
            JsonNode item = updates.get(i);
            if (item instanceof ObjectNode object) {
                items.add(object);
            } else {
                notObjects.add(new Violation(
                        UPDATES + "[" + i + "]", "must be an update object, not " + StrictJson.kind(item), null));
            }
        }
        if (!notObjects.isEmpty()) {
            throw GatewayException.validation(notObjects);
        }
        return items;
    }
}
