package com.fecify.gateway.customer;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The typed view of an update's fields, for Bean Validation of their values. JSON types and names were checked on the
 * tree before this is built; a null component is a field that was not sent.
 */
record CustomerChanges(
        @CodePoints(max = 100) @Nullable String firstName,
        @CodePoints(max = 100) @Nullable String lastName,

        @Pattern(
                regexp = "(?=(?:\\D*\\d){3})[0-9 +()\\-]{3,32}",
                message = "must be 3 to 32 characters of digits, spaces and + - ( ), with at least 3 digits")
        @Nullable
        String phone,

        @Pattern(regexp = "\\+?[0-9]{1,6}", message = "must be an optional + then 1 to 6 digits") @Nullable
        String phonePrefix,

        @Min(value = 1, message = MARKETING) @Max(value = 2, message = MARKETING) @Nullable
        Integer acceptsMarketing,

        @CodePoints(max = 1000) @Nullable String note,

        @Min(value = 0, message = "must be an integer ≥ 0, or \"\" to leave it unchanged") @Nullable
        Integer customervipId,

        @Min(value = 1, message = PAY_AFTER_USE) @Max(value = 2, message = PAY_AFTER_USE) @Nullable
        Integer payafteruseStatus,

        @Min(value = 0, message = "must be an integer ≥ 0") @Nullable
        Integer payafteruseLevel) {

    static final String MARKETING = "must be 1 (accepts marketing e-mail) or 2 (declines)";
    static final String PAY_AFTER_USE = "must be 1 (pay-after-use customer) or 2 (not)";

    /** The JSON field name of a component, for error messages. */
    static String jsonName(String component) {
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
