package com.fecify.gateway.batch;

import com.fecify.gateway.Caller;
import com.fecify.gateway.InvalidConfigurationException;
import com.fecify.gateway.error.ErrorCode;
import com.fecify.gateway.error.GatewayException;
import com.fecify.gateway.update.UpdateRoute;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * The batches each caller has running on this instance, from the moment their request is let in (before the body is
 * read) to their last line: at most {@code gateway.batch.max-concurrent-per-caller} at once, so that no caller can make
 * the gateway hold more batch bodies and runs than that; and the tokens their items still owe, so that a new batch is
 * refused when the caller's rate could not serve it and its running batches within {@code gateway.batch.max-duration}.
 */
@Component
class RunningBatches {

    private final ConcurrentHashMap<String, Share> byCaller = new ConcurrentHashMap<>();
    private final AtomicInteger running = new AtomicInteger();
    private final BatchProperties properties;

    RunningBatches(BatchProperties properties, MeterRegistry meters) {
        List<String> problems = new ArrayList<>();
        if (properties.maxConcurrentPerCaller() < 1) {
            problems.add("gateway.batch.max-concurrent-per-caller must be at least 1");
        }
        if (properties.concurrency() < 1) {
            problems.add("gateway.batch.concurrency must be at least 1");
        }
        if (!(properties.reserveForSingleUpdates() >= 0 && properties.reserveForSingleUpdates() < 1)) {
            problems.add("gateway.batch.reserve-for-single-updates must be a share from 0 up to (not including) 1");
        }
        if (properties.maxDuration().isNegative() || properties.maxDuration().isZero()) {
            problems.add("gateway.batch.max-duration must be a positive duration, e.g. 60s");
        }
        InvalidConfigurationException.throwIfAny(problems);
        this.properties = properties;
        Gauge.builder("fecify.gateway.batch.running", running, AtomicInteger::get)
                .description("Batches running or uploading on this instance")
                .register(meters);
    }

    /**
     * Lets a batch of {@code caller} in, before its body is read.
     *
     * @throws GatewayException 429 when the caller has its most batches running already
     */
    Ticket admit(Caller caller) {
        int most = properties.maxConcurrentPerCaller();
        AtomicBoolean admitted = new AtomicBoolean();
        byCaller.compute(caller.id(), (id, share) -> {
            Share counted = share == null ? new Share() : share;
            if (counted.batches < most) {
                counted.batches++;
                admitted.set(true);
            }
            return counted;
        });
        if (!admitted.get()) {
            throw new GatewayException(
                    ErrorCode.RATE_LIMITED,
                    "Caller '" + caller.metricTag() + "' has " + most + " batches running, the most it may have at"
                            + " once; send the next when one has ended.",
                    List.of(),
                    Duration.ofSeconds(1),
                    null);
        }
        running.incrementAndGet();
        return new Ticket(caller);
    }

    /** One batch let in: owes its items' tokens once its body is read, and is given back exactly once. */
    final class Ticket implements UpdateRoute.Admission {

        private final Caller caller;
        private final AtomicBoolean closed = new AtomicBoolean();
        private final AtomicInteger owed = new AtomicInteger();

        private Ticket(Caller caller) {
            this.caller = caller;
        }

        /**
         * The batch's items, counted against the caller's rate with what its other running batches still owe.
         *
         * @throws GatewayException 429 when the rate could not serve them all within {@code gateway.batch.max-duration}
         */
        void owe(int items) {
            double rate = caller.rate().perSecond();
            long allowed = (long)
                    Math.floor(Math.ceil(rate) + rate * properties.maxDuration().toMillis() / 1000.0);
            long[] othersOwe = new long[1];
            boolean[] fits = new boolean[1];
            byCaller.compute(caller.id(), (id, share) -> {
                Share counted = share == null ? new Share() : share;
                othersOwe[0] = counted.owed;
                if (items + counted.owed <= allowed) {
                    counted.owed += items;
                    fits[0] = true;
                }
                return counted;
            });
            if (!fits[0]) {
                long largest = Math.max(0, allowed - othersOwe[0]);
                throw new GatewayException(
                        ErrorCode.RATE_LIMITED,
                        "A batch of " + items + " items would take longer than "
                                + properties.maxDuration().toSeconds() + " s at this caller's rate of " + rate
                                + " updates per second"
                                + (othersOwe[0] > 0
                                        ? ", after the " + othersOwe[0] + " items its running batches still send"
                                        : "")
                                + "; the largest batch it allows is " + largest + " items.",
                        List.of(),
                        Duration.ofSeconds(1),
                        null);
            }
            owed.set(items);
        }

        /** One item has taken its token. */
        void paid() {
            if (owed.getAndDecrement() > 0) {
                byCaller.computeIfPresent(caller.id(), (id, share) -> {
                    share.owed--;
                    return share;
                });
            } else {
                owed.incrementAndGet();
            }
        }

        /** The batch has ended, or was refused: its place and what it still owed are given back. */
        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            int left = owed.getAndSet(0);
            running.decrementAndGet();
            byCaller.computeIfPresent(caller.id(), (id, share) -> {
                share.batches--;
                share.owed -= Math.max(0, left);
                return share.batches == 0 ? null : share;
            });
        }
    }

    /** A caller's running batches and the tokens their items still owe; changed only inside the map's compute. */
    private static final class Share {
        int batches;
        long owed;
    }
}
