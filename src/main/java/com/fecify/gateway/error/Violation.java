package com.fecify.gateway.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * One broken rule, as callers see it in {@code errors}. {@code field} is the body's snake_case name, or null for a rule
 * about the whole body. The rejected value is the caller's own input: it goes back to the caller, never to a log.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Violation(
        @Nullable String field,
        String message,
        @JsonProperty("rejected_value") @Nullable Object rejectedValue) {}
