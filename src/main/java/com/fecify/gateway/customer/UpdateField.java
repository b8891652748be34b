package com.fecify.gateway.customer;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** The fields a caller may change, with their JSON names (as in the body) and JSON types. */
enum UpdateField {
    FIRST_NAME("first_name", Kind.STRING),
    LAST_NAME("last_name", Kind.STRING),
    PHONE("phone", Kind.STRING),
    PHONE_PREFIX("phone_prefix", Kind.STRING),
    ACCEPTS_MARKETING("accepts_marketing", Kind.INTEGER),
    NOTE("note", Kind.STRING),
    CUSTOMERVIP_ID("customervip_id", Kind.INTEGER_OR_EMPTY),
    PAYAFTERUSE_STATUS("payafteruse_status", Kind.INTEGER),
    PAYAFTERUSE_LEVEL("payafteruse_level", Kind.INTEGER);

    enum Kind {
        STRING,
        INTEGER,
        /** An integer, or {@code ""} meaning "leave unchanged" (as the store documents for customervip_id). */
        INTEGER_OR_EMPTY
    }

    /** Every updatable field, comma-separated, for messages. */
    static final String ALL_NAMES =
            Arrays.stream(values()).map(UpdateField::jsonName).collect(Collectors.joining(", "));

    private static final Map<String, UpdateField> BY_JSON_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(UpdateField::jsonName, Function.identity()));

    private final String jsonName;
    private final Kind kind;

    UpdateField(String jsonName, Kind kind) {
        this.jsonName = jsonName;
        this.kind = kind;
    }

    String jsonName() {
        return jsonName;
    }

    Kind kind() {
        return kind;
    }

    static @Nullable UpdateField byJsonName(String name) {
        return BY_JSON_NAME.get(name);
    }
}
