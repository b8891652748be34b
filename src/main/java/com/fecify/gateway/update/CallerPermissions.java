package com.fecify.gateway.update;

import com.fecify.gateway.Caller;
import com.fecify.gateway.error.ErrorCode;
import com.fecify.gateway.error.GatewayException;
import com.fecify.gateway.error.Violation;
import java.util.List;

/** What a caller may change: its fields, and (for an end user) only its own customer. Decided before any value. */
final class CallerPermissions {

    private CallerPermissions() {}

    /**
     * 403 before any value is judged: a field the caller may not change, or (for an end user) another customer.
     * Nothing of it goes upstream.
     */
    static void check(Caller caller, long id, List<String> sent) {
        Long own = caller.customerId();
        if (own != null && id != 0 && id != own) {
            throw new GatewayException(
                    ErrorCode.FORBIDDEN,
                    "This caller may update only its own customer record.",
                    List.of(new Violation("id", "must be the caller's own customer id", id)),
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
}
