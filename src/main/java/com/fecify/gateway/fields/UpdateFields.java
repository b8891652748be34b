package com.fecify.gateway.fields;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The updatable fields, read once from {@link CustomerChanges}, the one place their names, JSON types and value rules
 * are written: the body reader, the permission checks, the OpenAPI document and the benchmarks all take them from here.
 */
public final class UpdateFields {

    /** How a field is written in JSON. */
    public enum Kind {
        STRING,
        INTEGER,
        /** An integer, or {@code ""} meaning "leave unchanged" (as the store documents for customervip_id). */
        INTEGER_OR_EMPTY
    }

    /**
     * One field.
     *
     * @param index its place among {@link CustomerChanges}' components
     * @param jsonName its name in the body, snake_case
     * @param component its component name in {@link CustomerChanges}, for Bean Validation's property paths
     */
    public record Field(int index, String jsonName, String component, Kind kind) {}

    public static final List<Field> ALL;
    private static final Map<String, Field> BY_JSON_NAME;
    private static final Map<String, Field> BY_COMPONENT;
    private static final Constructor<CustomerChanges> CANONICAL;

    /** Every updatable field, comma-separated, for messages. */
    public static final String ALL_NAMES;

    static {
        RecordComponent[] components = CustomerChanges.class.getRecordComponents();
        Field[] fields = new Field[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            Kind kind = component.getType() == String.class
                    ? Kind.STRING
                    : component.isAnnotationPresent(CustomerChanges.EmptyLeavesUnchanged.class)
                            ? Kind.INTEGER_OR_EMPTY
                            : Kind.INTEGER;
            fields[i] = new Field(i, snakeCase(component.getName()), component.getName(), kind);
        }
        ALL = List.of(fields);
        BY_JSON_NAME = ALL.stream().collect(Collectors.toUnmodifiableMap(Field::jsonName, Function.identity()));
        BY_COMPONENT = ALL.stream().collect(Collectors.toUnmodifiableMap(Field::component, Function.identity()));
        ALL_NAMES = ALL.stream().map(Field::jsonName).collect(Collectors.joining(", "));
        try {
            CANONICAL = CustomerChanges.class.getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    private UpdateFields() {}

    /** The JSON names of every updatable field, in the order of the store's documentation. */
    public static List<String> names() {
        return ALL.stream().map(Field::jsonName).toList();
    }

    public static @Nullable Field byJsonName(String name) {
        return BY_JSON_NAME.get(name);
    }

    /** The JSON name for a Bean Validation property path of {@link CustomerChanges}. */
    public static String jsonNameOf(String component) {
        Field field = BY_COMPONENT.get(component);
        return field == null ? component : field.jsonName();
    }

    /** The typed view of {@code values}, indexed as {@link #ALL}; a null value is a field not sent. */
    public static CustomerChanges changes(@Nullable Object[] values) {
        try {
            return CANONICAL.newInstance(values);
        } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String snakeCase(String component) {
        StringBuilder name = new StringBuilder(component.length() + 4);
        for (char c : component.toCharArray()) {
            if (Character.isUpperCase(c)) {
                name.append('_').append(Character.toLowerCase(c));
            } else {
                name.append(c);
            }
        }
        return name.toString();
    }
}
