package com.fecify.gateway.update;

import com.fecify.gateway.Caller;
import com.fecify.gateway.Routes;
import com.fecify.gateway.error.ErrorResponder;
import com.fecify.gateway.error.GatewayException;
import com.fecify.gateway.error.Outcome;
import com.fecify.gateway.error.RequestIds;
import com.fecify.gateway.store.StoreClient;
import com.fecify.gateway.store.StoreProperties;
import com.fecify.gateway.store.StoreReply;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two update routes. Each reads and validates the body on the request thread, then hands the call to the store
 * to {@link StoreClient} and frees the thread; the answer is written when the store's arrives ({@link LateAnswer}).
 */
@RestController
public class CustomerController {

    public static final String MERGE_PATCH_JSON = "application/merge-patch+json";
    private static final ContextSnapshotFactory CONTEXT =
            ContextSnapshotFactory.builder().build();

    private final CustomerUpdateReader reader;
    private final StoreClient fecify;
    private final ErrorResponder responder;
    private final JsonMapper jsonMapper;
    private final long answerTimeoutMillis;
    private final long bodyReadTimeoutMillis;

    CustomerController(
            CustomerUpdateReader reader,
            StoreClient fecify,
            ErrorResponder responder,
            JsonMapper jsonMapper,
            StoreProperties properties,
            RequestLimits limits) {
        this.reader = reader;
        this.fecify = fecify;
        this.responder = responder;
        this.jsonMapper = jsonMapper;
        // a little longer than the store call may take, so callers get the gateway's own 504 upstream_timeout rather
        // than the container's
        this.answerTimeoutMillis = properties.responseTimeout().toMillis() + 5_000;
        this.bodyReadTimeoutMillis = limits.bodyReadTimeout().toMillis();
    }

    /**
     * Success: the customer as the store returns it ({@code data} of its envelope). With {@code ?dry_run=true}, the
     * whole path but the store call: the changes the store would get.
     */
    @PatchMapping(
            path = Routes.CUSTOMER,
            consumes = {MediaType.APPLICATION_JSON_VALUE, MERGE_PATCH_JSON})
    void patch(
            @PathVariable String id,
            @RequestParam(name = DryRun.PARAMETER, required = false) @Nullable String dryRun,
            HttpServletRequest request,
            HttpServletResponse response)
            throws IOException {
        UpdateAudit audit = UpdateAudit.of(request);
        update(
                request,
                response,
                audit,
                (caller, body) -> {
                    boolean dry = DryRun.parse(dryRun);
                    audit.dryRun(dry);
                    return reader.readPatch(id, body, caller, audit);
                },
                reply -> jsonMapper.writeValueAsBytes(reply.data()));
    }

    /** Fecify's own path and body, for callers moving off direct calls: success is the store's envelope as is. */
    @PostMapping(
            path = Routes.DROP_IN,
            consumes = {MediaType.APPLICATION_JSON_VALUE, MERGE_PATCH_JSON})
    void dropIn(HttpServletRequest request, HttpServletResponse response) throws IOException {
        UpdateAudit audit = UpdateAudit.of(request);
        update(
                request,
                response,
                audit,
                (caller, body) -> reader.readDropIn(body, caller, audit),
                reply -> reply.envelope().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads the update, then sends it and answers when the store does ({@link LateAnswer}); a refusal, or a dry run's
     * answer, is written at once. The body is read here as bytes rather than by
     * {@code @RequestBody}, whose argument resolver copies every header, parses the content type again and builds a
     * data binder for each request (the routes' {@code consumes} still checks the content type, and the body's size
     * is limited while it is read). A refusal is written rather than thrown: Spring MVC would wrap the exception in an
     * {@code InvocationTargetException} (filling in a stack trace as deep as the filter chain) and look it up through
     * its exception resolvers, which cost more than everything else a refusal does; and written by
     * {@link ErrorResponder#write}, it leaves with a {@code Content-Length} after its audit line.
     */
    private void update(
            HttpServletRequest request,
            HttpServletResponse response,
            UpdateAudit audit,
            BiFunction<Caller, byte[], CustomerUpdate> read,
            Function<StoreReply, byte[]> success)
            throws IOException {
        Caller caller;
        UpdateRequests.Arrived arrived;
        try {
            caller = UpdateRequests.caller(request);
            arrived = UpdateRequests.arrived(request);
        } catch (GatewayException refused) {
            audit.outcome(responder.write(request, response, refused));
            return;
        }
        if (arrived.complete()) {
            byte[] body = arrived.bytes();
            // nearly every update: the body came with the request, so it is checked on this thread at once
            CustomerUpdate update;
            try {
                update = read.apply(caller, body);
            } catch (GatewayException refused) {
                audit.outcome(responder.write(request, response, refused));
                return;
            }
            if (audit.dryRun()) {
                audit.outcome(writeDryRun(response, update));
                return;
            }
            LateAnswer.start(request, responder, audit, answerTimeoutMillis)
                    .answerWith(send(update, audit, request, caller), success, answerTimeoutMillis);
            return;
        }
        // the caller is still sending its body: read as it arrives, without holding this thread; the store call
        // then goes on in this request's tracing context
        LateAnswer late = LateAnswer.start(request, responder, audit, bodyReadTimeoutMillis);
        ContextSnapshot context = CONTEXT.captureAll();
        AsyncBody.read(
                request.getInputStream(),
                arrived.bytes(),
                request.getContentLength(),
                body -> {
                    CustomerUpdate update;
                    try {
                        update = read.apply(caller, body);
                    } catch (GatewayException refused) {
                        late.refuse(refused);
                        return;
                    }
                    if (audit.dryRun()) {
                        late.answerNow(answer -> writeDryRun(answer, update));
                    } else {
                        try (ContextSnapshot.Scope scope = context.setThreadLocals()) {
                            late.answerWith(send(update, audit, request, caller), success, answerTimeoutMillis);
                        }
                    }
                },
                failure -> late.refuseFailedRead(UpdateRequests.unreadable(failure)));
    }

    private Outcome writeDryRun(HttpServletResponse response, CustomerUpdate update) throws IOException {
        byte[] answer = jsonMapper.writeValueAsBytes(DryRun.answer(update));
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getOutputStream().write(answer);
        return Outcome.DRY_RUN;
    }

    private Mono<StoreReply> send(CustomerUpdate update, UpdateAudit audit, HttpServletRequest request, Caller caller) {
        long start = System.nanoTime();
        return fecify.updateCustomer(update.customerId(), update.upstreamBody(), RequestIds.of(request), caller.id())
                .doOnTerminate(() -> audit.upstreamNanos(System.nanoTime() - start));
    }
}
