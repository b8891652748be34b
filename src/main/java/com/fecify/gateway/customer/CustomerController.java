package com.fecify.gateway.customer;

import com.fecify.gateway.Caller;
import com.fecify.gateway.error.ErrorCode;
import com.fecify.gateway.error.ErrorResponder;
import com.fecify.gateway.error.GatewayException;
import com.fecify.gateway.error.RequestIds;
import com.fecify.gateway.upstream.FecifyClient;
import com.fecify.gateway.upstream.UpstreamReply;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The two update routes. Each reads and validates the body on the request thread, then hands the call to the store
 * to {@link FecifyClient} and frees the thread until the answer arrives.
 */
@RestController
class CustomerController {

    static final String MERGE_PATCH_JSON = "application/merge-patch+json";

    private final CustomerUpdateReader reader;
    private final FecifyClient fecify;

    CustomerController(CustomerUpdateReader reader, FecifyClient fecify) {
        this.reader = reader;
        this.fecify = fecify;
    }

    @PatchMapping(
            path = "/v1/customers/{id}",
            consumes = {MediaType.APPLICATION_JSON_VALUE, MERGE_PATCH_JSON})
    Mono<ResponseEntity<JsonNode>> patch(
            @PathVariable String id,
            @RequestBody(required = false) byte @Nullable [] body,
            HttpServletRequest request) {
        UpdateAudit audit = UpdateAudit.of(request);
        CustomerUpdate update = reader.readPatch(id, body, caller(request), audit);
        return send(update, audit, request)
                .map(reply -> ResponseEntity.ok()
                        .contentType(MediaType.APPLICATION_JSON)
                        .body(reply.data()));
    }

    /** Fecify's own path and body, for callers moving off direct calls: success is the store's envelope as is. */
    @PostMapping(
            path = ErrorResponder.DROP_IN_PATH,
            consumes = {MediaType.APPLICATION_JSON_VALUE, MERGE_PATCH_JSON})
    Mono<ResponseEntity<String>> dropIn(
            @RequestBody(required = false) byte @Nullable [] body, HttpServletRequest request) {
        UpdateAudit audit = UpdateAudit.of(request);
        CustomerUpdate update = reader.readDropIn(body, caller(request), audit);
        return send(update, audit, request)
                .map(reply -> ResponseEntity.ok()
                        .contentType(MediaType.APPLICATION_JSON)
                        .body(reply.envelope()));
    }

    /** Bound by the security layer on every update route; deny by default should it ever be missing. */
    private static Caller caller(HttpServletRequest request) {
        Caller caller = Caller.of(request);
        if (caller == null) {
            throw new GatewayException(ErrorCode.FORBIDDEN, "The caller could not be identified.");
        }
        return caller;
    }

    private Mono<UpstreamReply> send(CustomerUpdate update, UpdateAudit audit, HttpServletRequest request) {
        long start = System.nanoTime();
        return fecify.updateCustomer(update.customerId(), update.upstreamBody(), RequestIds.of(request))
                .doOnTerminate(() -> audit.upstreamNanos(System.nanoTime() - start));
    }
}
