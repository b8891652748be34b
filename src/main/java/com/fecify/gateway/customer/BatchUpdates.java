package com.fecify.gateway.customer;

import com.fecify.gateway.Caller;
import com.fecify.gateway.error.ErrorCode;
import com.fecify.gateway.error.ErrorResponder;
import com.fecify.gateway.error.GatewayException;
import com.fecify.gateway.upstream.FecifyClient;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs a batch: each item read and checked as a single update would be, the valid ones sent to the store at most
 * {@code gateway.batch.concurrency} at a time, each after one token of the caller's rate (waiting for it, never
 * refusing), each retried as a single update. The answer is a stream of lines in completion order, then a summary; an
 * item's line carries what a single {@code PATCH} of it would have got. Nothing waits on a thread: tokens are waited
 * for with timers and the store calls are non-blocking. Cancelling the stream (the caller went away) sends no more
 * items, and their audit lines say {@code client_closed}.
 */
@Component
class BatchUpdates {

    private final CustomerUpdateReader reader;
    private final FecifyClient fecify;
    private final ErrorResponder responder;
    private final AuditLog auditLog;
    private final BatchProperties properties;
    private final DistributionSummary batchItems;
    private final Timer batchDuration;

    BatchUpdates(
            CustomerUpdateReader reader,
            FecifyClient fecify,
            ErrorResponder responder,
            AuditLog auditLog,
            BatchProperties properties,
            MeterRegistry meters) {
        this.reader = reader;
        this.fecify = fecify;
        this.responder = responder;
        this.auditLog = auditLog;
        this.properties = properties;
        this.batchItems = DistributionSummary.builder("fecify.gateway.batch.items")
                .description("Items per batch")
                .baseUnit("items")
                .register(meters);
        this.batchDuration = Timer.builder("fecify.gateway.batch.duration")
                .description("Time from a batch's first item to its summary line")
                .register(meters);
    }

    /**
     * Refused as a whole (429) when the caller's rate could not serve every item within
     * {@code gateway.batch.max-duration}: its bucket holds a second's worth, then refills at its rate.
     */
    void checkRate(Caller caller, int items) {
        double rate = caller.rate().perSecond();
        double allowed = Math.ceil(rate) + rate * properties.maxDuration().toMillis() / 1000.0;
        if (items > allowed) {
            long largest = (long) Math.floor(allowed);
            throw new GatewayException(
                    ErrorCode.RATE_LIMITED,
                    "A batch of " + items + " items would take longer than "
                            + properties.maxDuration().toSeconds()
                            + " s at this caller's rate of " + rate + " updates per second; the largest batch it"
                            + " allows is " + largest + " items.",
                    List.of(),
                    Duration.ofSeconds(1),
                    null);
        }
    }

    /** The lines of the answer, each a JSON object, in the order items end; the summary last. */
    Flux<Map<String, Object>> run(List<ObjectNode> items, Caller caller, String requestId, boolean dryRun) {
        int total = items.size();
        AtomicInteger succeeded = new AtomicInteger();
        // per item: the audit record, while the item is neither answered nor audited
        AtomicReferenceArray<@Nullable UpdateAudit> pending = new AtomicReferenceArray<>(total);
        List<Mono<Map<String, Object>>> refused = new ArrayList<>();
        List<Item> valid = new ArrayList<>();
        for (int index = 0; index < total; index++) {
            UpdateAudit audit = new UpdateAudit();
            try {
                CustomerUpdate update = reader.readItem(items.get(index), caller, audit);
                pending.set(index, audit);
                valid.add(new Item(index, update, audit));
            } catch (GatewayException invalid) {
                refused.add(Mono.just(failed(index, audit, invalid, caller, requestId, true)));
            }
        }
        long start = System.nanoTime();
        batchItems.record(total);
        Flux<Map<String, Object>> sent = Flux.fromIterable(valid)
                .flatMap(
                        item -> answer(item, caller, requestId, dryRun, succeeded, pending),
                        Math.max(1, properties.concurrency()));
        return Flux.concat(Flux.merge(refused), sent)
                .concatWith(Mono.fromSupplier(() -> summary(total, succeeded.get())))
                .doFinally(signal -> {
                    batchDuration.record(Duration.ofNanos(System.nanoTime() - start));
                    // the caller went away: the items it got no line for are audited as such (and are never sent)
                    for (int index = 0; index < total; index++) {
                        UpdateAudit left = pending.getAndSet(index, null);
                        if (left != null) {
                            auditLog.write(
                                    requestId,
                                    caller,
                                    left.customerId(),
                                    left.fields(),
                                    "client_closed",
                                    AuditFilter.CLIENT_CLOSED,
                                    left.upstreamMillis());
                        }
                    }
                });
    }

    private Mono<Map<String, Object>> answer(
            Item item,
            Caller caller,
            String requestId,
            boolean dryRun,
            AtomicInteger succeeded,
            AtomicReferenceArray<@Nullable UpdateAudit> pending) {
        if (dryRun) {
            // everything but the store call: the item takes its token, as it would for real
            return token(caller).then(Mono.fromSupplier(() -> {
                succeeded.incrementAndGet();
                if (pending.getAndSet(item.index(), null) != null) {
                    audit(item.audit(), "dry_run", 200, caller, requestId);
                }
                Map<String, Object> line = line(item.index(), item.update().customerId(), 200);
                line.put("dry_run", true);
                line.put("changes", item.update().changes());
                return line;
            }));
        }
        return token(caller)
                .then(Mono.defer(() -> {
                    long sentAt = System.nanoTime();
                    return fecify.updateCustomer(
                                    item.update().customerId(), item.update().upstreamBody(), requestId)
                            .doOnTerminate(() -> item.audit().upstreamNanos(System.nanoTime() - sentAt));
                }))
                .map(reply -> {
                    succeeded.incrementAndGet();
                    if (pending.getAndSet(item.index(), null) != null) {
                        audit(item.audit(), "success", 200, caller, requestId);
                    }
                    Map<String, Object> line = line(item.index(), item.update().customerId(), 200);
                    line.put("customer", reply.data());
                    return line;
                })
                .onErrorResume(GatewayException.class, failure -> {
                    boolean unaudited = pending.getAndSet(item.index(), null) != null;
                    return Mono.just(failed(item.index(), item.audit(), failure, caller, requestId, unaudited));
                });
    }

    /** One token of the caller's rate, waited for on a timer when the bucket is empty. */
    private static Mono<Void> token(Caller caller) {
        return Mono.defer(() -> {
            Duration wait = caller.rate().tryTake();
            return wait.isZero() ? Mono.empty() : Mono.delay(wait).then(token(caller));
        });
    }

    private Map<String, Object> failed(
            int index,
            UpdateAudit audit,
            GatewayException failure,
            Caller caller,
            String requestId,
            boolean unaudited) {
        int status = failure.errorCode().status().value();
        if (unaudited) {
            audit(audit, failure.errorCode().code(), status, caller, requestId);
        }
        Map<String, Object> line = line(index, audit.customerId(), status);
        line.put("problem", responder.problem(failure, itemPath(audit.customerId()), requestId));
        return line;
    }

    private void audit(UpdateAudit audit, String outcome, int status, Caller caller, String requestId) {
        auditLog.write(requestId, caller, audit.customerId(), audit.fields(), outcome, status, audit.upstreamMillis());
    }

    private static String itemPath(@Nullable Long id) {
        return id == null ? CustomerController.BATCH_PATH : "/v1/customers/" + id;
    }

    private static Map<String, Object> line(int index, @Nullable Long id, int status) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("index", index);
        line.put("id", id);
        line.put("status", status);
        return line;
    }

    private static Map<String, Object> summary(int total, int succeeded) {
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("total", total);
        counts.put("succeeded", succeeded);
        counts.put("failed", total - succeeded);
        return Map.of("summary", counts);
    }

    private record Item(int index, CustomerUpdate update, UpdateAudit audit) {}
}
