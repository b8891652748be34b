package com.fecify.gateway.customer;

import com.fecify.gateway.Caller;
import com.fecify.gateway.error.ErrorCode;
import com.fecify.gateway.error.ErrorResponder;
import com.fecify.gateway.error.GatewayException;
import com.fecify.gateway.error.RequestIds;
import com.fecify.gateway.upstream.FecifyClient;
import com.fecify.gateway.upstream.UpstreamReply;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two update routes. Each reads and validates the body on the request thread and answers a refusal at once;
 * a valid update is handed to {@link FecifyClient} and the route returns its {@code Mono}, so Spring MVC frees the
 * thread and answers when the store has (servlet async).
 */
@RestController
class CustomerController {

    static final String MERGE_PATCH_JSON = "application/merge-patch+json";

    private final CustomerUpdateReader reader;
    private final FecifyClient fecify;
    private final ErrorResponder responder;
    private final JsonMapper jsonMapper;

    CustomerController(
            CustomerUpdateReader reader, FecifyClient fecify, ErrorResponder responder, JsonMapper jsonMapper) {
        this.reader = reader;
        this.fecify = fecify;
        this.responder = responder;
        this.jsonMapper = jsonMapper;
    }

    /** Success: the customer as the store returns it ({@code data} of its envelope). */
    @PatchMapping(
            path = "/v1/customers/{id}",
            consumes = {MediaType.APPLICATION_JSON_VALUE, MERGE_PATCH_JSON})
    @Nullable
    Mono<ResponseEntity<byte[]>> patch(
            @PathVariable String id, HttpServletRequest request, HttpServletResponse response) throws IOException {
        UpdateAudit audit = UpdateAudit.of(request);
        return update(
                request,
                response,
                audit,
                (caller, body) -> reader.readPatch(id, body, caller, audit),
                reply -> jsonMapper.writeValueAsBytes(reply.data()));
    }

    /** Fecify's own path and body, for callers moving off direct calls: success is the store's envelope as is. */
    @PostMapping(
            path = ErrorResponder.DROP_IN_PATH,
            consumes = {MediaType.APPLICATION_JSON_VALUE, MERGE_PATCH_JSON})
    @Nullable
    Mono<ResponseEntity<byte[]>> dropIn(HttpServletRequest request, HttpServletResponse response) throws IOException {
        UpdateAudit audit = UpdateAudit.of(request);
        return update(
                request,
                response,
                audit,
                (caller, body) -> reader.readDropIn(body, caller, audit),
                reply -> reply.envelope().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads the update, then sends it: the answer is the store's, a {@code Mono} that Spring MVC answers
     * asynchronously; a refusal is written at once, and null returned (the route took the response as a parameter,
     * so Spring MVC takes the request as handled). The body is read here as bytes rather than by
     * {@code @RequestBody}, whose argument resolver copies every header, parses the content type again and builds a
     * data binder for each request (the routes' {@code consumes} still checks the content type, and the body's size
     * is limited while it is read). A refusal is written rather than thrown: Spring MVC would wrap the exception in an
     * {@code InvocationTargetException} (filling in a stack trace as deep as the filter chain) and look it up through
     * its exception resolvers, which cost more than everything else a refusal does; and written by
     * {@link ErrorResponder#write}, it leaves with a {@code Content-Length} after its audit line.
     */
    private @Nullable Mono<ResponseEntity<byte[]>> update(
            HttpServletRequest request,
            HttpServletResponse response,
            UpdateAudit audit,
            BiFunction<Caller, byte[], CustomerUpdate> read,
            Function<UpstreamReply, byte[]> success)
            throws IOException {
        CustomerUpdate update;
        try {
            update = read.apply(caller(request), body(request));
        } catch (GatewayException refused) {
            responder.write(request, response, refused);
            return null;
        }
        return send(update, audit, request)
                .map(reply -> ResponseEntity.ok()
                        .contentType(MediaType.APPLICATION_JSON)
                        .body(success.apply(reply)));
    }

    /** Exactly {@code Content-Length} bytes when it is given (at most 64 KiB, checked before), else all there is. */
    private static byte[] body(HttpServletRequest request) {
        try {
            int length = request.getContentLength();
            if (length < 0) {
                return request.getInputStream().readAllBytes();
            }
            // readAllBytes would take a 16 KiB buffer for every body, however short
            byte[] body = new byte[length];
            if (request.getInputStream().readNBytes(body, 0, length) < length) {
                throw new IOException("body shorter than Content-Length");
            }
            return body;
        } catch (IOException e) {
            GatewayException known = ErrorResponder.gatewayExceptionIn(e);
            if (known != null) {
                throw known; // a chunked body over the limit (BodySizeLimitFilter)
            }
            // the caller went away mid-body or sent a broken chunk: answered like any unreadable request
            throw new GatewayException(ErrorCode.BAD_REQUEST, "The request cannot be processed as sent.");
        }
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
