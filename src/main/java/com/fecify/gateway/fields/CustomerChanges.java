package com.fecify.gateway.fields;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The updatable fields and their rules, written once: each component is a field (its name in snake_case is the JSON
 * name, its type the JSON type), and its Bean Validation constraints are the value rules. {@link UpdateFields} reads
 * the table from here for the body reader, the permissions and the OpenAPI document. As a value: the typed view of
 * one update, validated once the JSON tree's names and types have been checked; a null component is a field not sent.
 * The rules that are not a field's are here too: the customer id, and the customer's fields no update may change.
 */
public record CustomerChanges(
        @CodePoints(max = 100)
        @jakarta.validation.constraints.Pattern(regexp = PLAIN_LINE, message = PLAIN_LINE_RULE)
        @Nullable
        String firstName,

        @CodePoints(max = 100)
        @jakarta.validation.constraints.Pattern(regexp = PLAIN_LINE, message = PLAIN_LINE_RULE)
        @Nullable
        String lastName,

        @jakarta.validation.constraints.Pattern(
                regexp = "(?=(?:\\D*\\d){3})[0-9 +()\\-]{3,32}",
                message = "must be 3 to 32 characters of digits, spaces and + - ( ), with at least 3 digits")
        @Nullable
        String phone,

        @jakarta.validation.constraints.Pattern(
                regexp = "\\+?[0-9]{1,6}",
                message = "must be an optional + then 1 to 6 digits")
        @Nullable
        String phonePrefix,

        @Min(value = 1, message = MARKETING) @Max(value = 2, message = MARKETING) @Nullable
        Integer acceptsMarketing,

        @CodePoints(max = 1000) @Nullable String note,

        @EmptyLeavesUnchanged
        @Min(value = 0, message = "must be an integer ≥ 0, or \"\" to leave it unchanged")
        @Nullable
        Integer customervipId,

        @Min(value = 1, message = PAY_AFTER_USE) @Max(value = 2, message = PAY_AFTER_USE) @Nullable
        Integer payafteruseStatus,

        @Min(value = 0, message = "must be an integer ≥ 0") @Nullable
        Integer payafteruseLevel) {

    /**
     * A name is one line of visible text: no C0 or C1 control characters (line breaks, tabs, escape) and no
     * bidirectional embeddings, overrides or isolates, which could forge what a log or a screen shows. Written with
     * explicit ranges, so that the OpenAPI document's pattern means the same in JSON Schema.
     */
    static final String PLAIN_LINE = "[^\\u0000-\\u001F\\u007F-\\u009F\\u202A-\\u202E\\u2066-\\u2069]*";

    static final String PLAIN_LINE_RULE =
            "must be one line of text: no control characters (line breaks, tabs, escape) or bidirectional overrides";

    static final String MARKETING = "must be 1 (accepts marketing e-mail) or 2 (declines)";
    static final String PAY_AFTER_USE = "must be 1 (pay-after-use customer) or 2 (not)";

    /** The largest customer id: the store's ids are 32-bit integers. */
    public static final int MAX_ID = Integer.MAX_VALUE;

    /** The customer id rule, in the path, in a body and in an end user's claim. */
    public static final String ID_RULE = "must be a positive integer (1 to " + MAX_ID + ")";

    private static final Pattern ID_TEXT = Pattern.compile("[1-9][0-9]{0,9}");

    /** The customer's fields that exist but no update may change: refused by name, not as unknown. */
    public static final Set<String> FIXED = Set.of("email", "status");

    public static final String FIXED_RULE = "cannot be changed through this API";

    /** A token claim's customer id: a JSON integer or a decimal string in the id range; null for anything else. */
    public static @Nullable Long customerIdClaim(@Nullable Object claim) {
        if (claim instanceof Number number
                && number.doubleValue() == number.longValue()
                && isCustomerId(number.longValue())) {
            return number.longValue();
        }
        return claim instanceof String text ? customerId(text) : null;
    }

    /** A customer id as callers write it (digits, no sign, no leading zero, 1 to {@link #MAX_ID}), or null. */
    public static @Nullable Long customerId(String text) {
        if (!ID_TEXT.matcher(text).matches()) {
            return null;
        }
        long value = Long.parseLong(text);
        return isCustomerId(value) ? value : null;
    }

    public static boolean isCustomerId(long value) {
        return value >= 1 && value <= MAX_ID;
    }

    /** On an integer field: {@code ""} is accepted too, and means "leave unchanged". */
    @Target(ElementType.RECORD_COMPONENT)
    @Retention(RetentionPolicy.RUNTIME)
    @interface EmptyLeavesUnchanged {}
}
