package com.fecify.gateway.batch;

import com.fecify.gateway.Caller;
import com.fecify.gateway.Routes;
import com.fecify.gateway.error.ErrorCode;
import com.fecify.gateway.error.ErrorResponder;
import com.fecify.gateway.error.GatewayException;
import com.fecify.gateway.error.RequestIds;
import com.fecify.gateway.update.AsyncBody;
import com.fecify.gateway.update.CustomerController;
import com.fecify.gateway.update.CustomerUpdateReader;
import com.fecify.gateway.update.DryRun;
import com.fecify.gateway.update.RequestLimits;
import com.fecify.gateway.update.UpdateAudit;
import com.fecify.gateway.update.UpdateRequests;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.context.request.async.DeferredResultProcessingInterceptor;
import org.springframework.web.context.request.async.WebAsyncUtils;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/customers/batch}: refused as a whole before anything is sent, or answered {@code 200} with NDJSON
 * lines streamed as the items end ({@link BatchUpdates}).
 */
@RestController
class BatchController {

    private final CustomerUpdateReader reader;
    private final BatchUpdates batches;
    private final RunningBatches running;
    private final ErrorResponder responder;
    private final JsonMapper jsonMapper;
    private final long bodyReadTimeoutMillis;

    BatchController(
            CustomerUpdateReader reader,
            BatchUpdates batches,
            RunningBatches running,
            ErrorResponder responder,
            JsonMapper jsonMapper,
            RequestLimits limits) {
        this.reader = reader;
        this.batches = batches;
        this.running = running;
        this.responder = responder;
        this.jsonMapper = jsonMapper;
        this.bodyReadTimeoutMillis = limits.bodyReadTimeout().toMillis();
    }

    @PostMapping(
            path = Routes.BATCH,
            consumes = {MediaType.APPLICATION_JSON_VALUE, CustomerController.MERGE_PATCH_JSON})
    @Nullable
    Object batch(
            @RequestParam(name = DryRun.PARAMETER, required = false) @Nullable String dryRun,
            HttpServletRequest request,
            HttpServletResponse response)
            throws IOException {
        UpdateAudit audit = UpdateAudit.of(request);
        Caller caller;
        boolean dry;
        UpdateRequests.Arrived arrived;
        RunningBatches.Ticket ticket = null;
        try {
            dry = DryRun.parse(dryRun);
            audit.dryRun(dry);
            caller = UpdateRequests.caller(request);
            if (caller.isEndUser()) {
                throw new GatewayException(
                        ErrorCode.FORBIDDEN, "Batches are for service clients; an end user updates its own record.");
            }
            // before a byte of the body is read: a caller has at most so many batches uploading or running
            ticket = running.admit(caller);
            arrived = UpdateRequests.arrived(request);
            if (arrived.complete()) {
                return stream(request, caller, dry, arrived.bytes(), ticket);
            }
        } catch (GatewayException refused) {
            if (ticket != null) {
                ticket.close();
            }
            audit.outcome(responder.write(request, response, refused));
            return null;
        } catch (RuntimeException unforeseen) {
            if (ticket != null) {
                ticket.close();
            }
            throw unforeseen;
        }
        // the caller is still sending its body: read as it arrives, without holding this thread, then answer
        RunningBatches.Ticket admitted = ticket;
        DeferredResult<ResponseEntity<ResponseBodyEmitter>> answer = new DeferredResult<>(bodyReadTimeoutMillis);
        answer.onTimeout(() -> refuse(
                answer,
                audit,
                admitted,
                new GatewayException(ErrorCode.REQUEST_TIMEOUT, "The body did not arrive in time.")));
        // a backstop: a failed exchange gives the caller's place back too (closing twice does nothing)
        answer.onError(failure -> admitted.close());
        WebAsyncUtils.getAsyncManager(request)
                .registerDeferredResultInterceptor(
                        BatchController.class.getName(), new DeferredResultProcessingInterceptor() {
                            @Override
                            public <T> void preProcess(NativeWebRequest webRequest, DeferredResult<T> deferred)
                                    throws IOException {
                                AsyncBody.read(
                                        request.getInputStream(),
                                        arrived.bytes(),
                                        request.getContentLength(),
                                        body -> {
                                            try {
                                                answer.setResult(stream(request, caller, dry, body, admitted));
                                            } catch (GatewayException refused) {
                                                refuse(answer, audit, admitted, refused);
                                            } catch (RuntimeException unforeseen) {
                                                admitted.close();
                                                answer.setErrorResult(unforeseen);
                                            }
                                        },
                                        failure -> refuse(answer, audit, admitted, UpdateRequests.unreadable(failure)));
                            }
                        });
        return answer;
    }

    /** A refusal found once the body has arrived: audited now, answered by the controller advice. */
    private static void refuse(
            DeferredResult<?> answer, UpdateAudit audit, RunningBatches.Ticket ticket, GatewayException refused) {
        ticket.close();
        audit.answered(refused.errorCode().outcome());
        answer.setErrorResult(refused);
    }

    /**
     * Checks the batch as a whole (its shape, then its items against the caller's rate and running batches), then
     * starts it: the lines are streamed as its items end, and the ticket is given back with the last.
     */
    private ResponseEntity<ResponseBodyEmitter> stream(
            HttpServletRequest request, Caller caller, boolean dry, byte[] body, RunningBatches.Ticket ticket) {
        List<ObjectNode> items = BatchBody.items(body);
        ticket.owe(items.size());
        UpdateAudit.of(request).itemized(true);
        // no timeout of its own: every item has the store call's, and the batch ends when its items have
        ResponseBodyEmitter emitter = new ResponseBodyEmitter(0L);
        AtomicReference<@Nullable Disposable> run = new AtomicReference<>();
        Disposable subscription = batches.run(items, caller, RequestIds.of(request), dry, ticket)
                .doFinally(signal -> ticket.close())
                // a line is written with a blocking write, at the caller's pace: never on the HTTP client's event
                // loop, which carries every store call
                .publishOn(Schedulers.boundedElastic())
                .subscribe(
                        line -> {
                            try {
                                emitter.send(ndjson(line), MediaType.APPLICATION_NDJSON);
                            } catch (IOException | IllegalStateException gone) {
                                // the caller went away: the rest of the batch is not sent
                                Disposable current = run.get();
                                if (current != null) {
                                    current.dispose();
                                }
                            }
                        },
                        emitter::completeWithError,
                        emitter::complete);
        run.set(subscription);
        emitter.onError(failure -> subscription.dispose());
        emitter.onTimeout(subscription::dispose);
        emitter.onCompletion(ticket::close);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_NDJSON).body(emitter);
    }

    /** One line: the JSON object and its newline, sent (and flushed) together. */
    private byte[] ndjson(Object line) {
        byte[] json = jsonMapper.writeValueAsBytes(line);
        byte[] withNewline = Arrays.copyOf(json, json.length + 1);
        withNewline[json.length] = '\n';
        return withNewline;
    }
}
