package com.fecify.gateway.batch;

import com.fecify.gateway.Caller;
import com.fecify.gateway.Routes;
import com.fecify.gateway.audit.AuditLog;
import com.fecify.gateway.error.ErrorResponder;
import com.fecify.gateway.error.GatewayException;
import com.fecify.gateway.error.Outcome;
import com.fecify.gateway.store.StoreClient;
import com.fecify.gateway.update.CustomerUpdate;
import com.fecify.gateway.update.CustomerUpdateReader;
import com.fecify.gateway.update.UpdateAudit;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs a batch: each item read and checked as a single update would be; then, in their order, each item takes one
 * token of the caller's rate (waiting for it, never refusing; an invalid item too, as a refused single update does)
 * and the valid ones go to the store at most {@code gateway.batch.concurrency} at a time, each retried as a single
 * update. A batch leaves a share of the caller's bucket to its single updates ({@code
 * gateway.batch.reserve-for-single-updates}). The answer is a stream of lines in completion order, then a summary; an
 * item's line carries what a single {@code PATCH} of it would have got. The request thread only writes the lines as
 * they come: the items are read on Reactor's parallel scheduler, tokens are waited for with timers (one wait per
 * batch at a time) and the store calls are non-blocking. Cancelling the stream (the caller went away) sends no more
 * items, and their audit lines say {@code client_closed}.
 */
@Component
class BatchUpdates {

    /** An item that has waited this long for a token takes it without leaving the single updates' reserve. */
    private static final long PATIENCE_NANOS = Duration.ofSeconds(1).toNanos();

    private final CustomerUpdateReader reader;
    private final StoreClient fecify;
    private final ErrorResponder responder;
    private final AuditLog auditLog;
    private final BatchProperties properties;
    private final DistributionSummary batchItems;
    private final Timer batchDuration;

    BatchUpdates(
            CustomerUpdateReader reader,
            StoreClient fecify,
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
     * The lines of the answer, each a JSON object, in the order items end; the summary last. Each token an item takes
     * is reported to {@code ticket}.
     */
    Flux<BatchLine> run(
            List<ObjectNode> items, Caller caller, String requestId, boolean dryRun, RunningBatches.Ticket ticket) {
        return Flux.defer(() -> lines(items, caller, requestId, dryRun, ticket)).subscribeOn(Schedulers.parallel());
    }

    private Flux<BatchLine> lines(
            List<ObjectNode> items, Caller caller, String requestId, boolean dryRun, RunningBatches.Ticket ticket) {
        int total = items.size();
        AtomicInteger succeeded = new AtomicInteger();
        // per item: the audit record, while the item is neither answered nor audited
        AtomicReferenceArray<@Nullable UpdateAudit> pending = new AtomicReferenceArray<>(total);
        List<Item> all = new ArrayList<>(total);
        for (int index = 0; index < total; index++) {
            UpdateAudit audit = new UpdateAudit();
            pending.set(index, audit);
            try {
                all.add(new Item(index, reader.readItem(items.get(index), caller, audit), null, audit));
            } catch (GatewayException invalid) {
                all.add(new Item(index, null, invalid, audit));
            }
        }
        long start = System.nanoTime();
        batchItems.record(total);
        long reserve = reserveForSingleUpdates(caller);
        Flux<BatchLine> answered = Flux.fromIterable(all)
                // one item at a time takes its token, and only when the batch has room for it
                .concatMap(
                        item -> token(caller, reserve)
                                .doOnSuccess(taken -> ticket.paid())
                                .thenReturn(item),
                        1)
                .flatMap(
                        item -> {
                            CustomerUpdate update = item.update();
                            GatewayException invalid = item.invalid();
                            return update == null || invalid != null
                                    ? Mono.fromSupplier(() -> failed(item, invalid, caller, requestId, pending))
                                    : answer(item, update, caller, requestId, dryRun, succeeded, pending);
                        },
                        properties.concurrency());
        return answered.concatWith(Mono.fromSupplier(() -> new BatchLine.Summary(total, succeeded.get())))
                .doFinally(signal -> {
                    batchDuration.record(Duration.ofNanos(System.nanoTime() - start));
                    // the caller went away: the items it got no line for are audited as such (and are never sent)
                    for (int index = 0; index < total; index++) {
                        UpdateAudit left = pending.getAndSet(index, null);
                        if (left != null) {
                            auditLog.write(requestId, caller, left, Outcome.CLIENT_CLOSED);
                        }
                    }
                });
    }

    /** The tokens a batch leaves in the caller's bucket for its single updates: at most all but one. */
    private long reserveForSingleUpdates(Caller caller) {
        long capacity = caller.rate().capacity();
        long share = (long) Math.ceil(capacity * properties.reserveForSingleUpdates());
        return Math.max(0, Math.min(capacity - 1, share));
    }

    private Mono<BatchLine> answer(
            Item item,
            CustomerUpdate update,
            Caller caller,
            String requestId,
            boolean dryRun,
            AtomicInteger succeeded,
            AtomicReferenceArray<@Nullable UpdateAudit> pending) {
        if (dryRun) {
            // everything but the store call: the item has taken its token, as it would for real
            return Mono.fromSupplier(() -> {
                succeeded.incrementAndGet();
                if (pending.getAndSet(item.index(), null) != null) {
                    auditLog.write(requestId, caller, item.audit(), Outcome.DRY_RUN);
                }
                return new BatchLine.DryRun(item.index(), update.customerId(), update.changes());
            });
        }
        return Mono.defer(() -> {
                    long sentAt = System.nanoTime();
                    return fecify.updateCustomer(update.customerId(), update.upstreamBody(), requestId, caller.id())
                            .doOnTerminate(() -> item.audit().upstreamNanos(System.nanoTime() - sentAt));
                })
                .<BatchLine>map(reply -> {
                    succeeded.incrementAndGet();
                    if (pending.getAndSet(item.index(), null) != null) {
                        auditLog.write(requestId, caller, item.audit(), Outcome.SUCCESS);
                    }
                    return new BatchLine.Updated(item.index(), update.customerId(), reply.data());
                })
                .onErrorResume(
                        GatewayException.class,
                        failure -> Mono.just(failed(item, failure, caller, requestId, pending)));
    }

    /**
     * One token of the caller's rate, waited for on a timer when the bucket is empty (or holds no more than the single
     * updates' reserve); never on a thread, also while a shared bucket's Redis is slow.
     */
    private static Mono<Void> token(Caller caller, long reserve) {
        return Mono.defer(() -> attempt(caller, reserve, System.nanoTime()));
    }

    private static Mono<Void> attempt(Caller caller, long reserve, long since) {
        long leave = System.nanoTime() - since > PATIENCE_NANOS ? 0 : reserve;
        return Mono.fromFuture(() -> caller.rate().tryTakeLeaving(leave))
                .flatMap(wait -> wait.isZero()
                        ? Mono.<Void>empty()
                        : Mono.delay(wait).then(Mono.defer(() -> attempt(caller, reserve, since))));
    }

    private BatchLine failed(
            Item item,
            @Nullable GatewayException refusal,
            Caller caller,
            String requestId,
            AtomicReferenceArray<@Nullable UpdateAudit> pending) {
        GatewayException failure = refusal != null ? refusal : GatewayException.internalError();
        Outcome outcome = failure.errorCode().outcome();
        UpdateAudit audit = item.audit();
        if (pending.getAndSet(item.index(), null) != null) {
            auditLog.write(requestId, caller, audit, outcome);
        }
        return new BatchLine.Failed(
                item.index(),
                audit.customerId(),
                outcome.status(),
                responder.problem(failure, itemPath(audit.customerId()), requestId));
    }

    private static String itemPath(@Nullable Long id) {
        return id == null ? Routes.BATCH : Routes.customer(id);
    }

    /** One item: read as an update, or refused as invalid (400) or forbidden (403). */
    private record Item(
            int index,
            @Nullable CustomerUpdate update,
            @Nullable GatewayException invalid,
            UpdateAudit audit) {}
}
