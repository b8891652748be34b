package com.fecify.gateway;

import java.util.List;

/**
 * The names of the fields an update may change, as the body rules define them, for the parts that check a caller's
 * configured field list without knowing the rules themselves (security).
 *
 * @param names the JSON names, in the order of the store's documentation
 */
public record UpdatableFields(List<String> names) {

    public UpdatableFields {
        names = List.copyOf(names);
    }

    public boolean contains(String name) {
        return names.contains(name);
    }

    @Override
    public String toString() {
        return String.join(", ", names);
    }
}
