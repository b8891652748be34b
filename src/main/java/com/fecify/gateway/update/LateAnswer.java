package com.fecify.gateway.update;

import com.fecify.gateway.CallerConnection;
import com.fecify.gateway.error.ErrorCode;
import com.fecify.gateway.error.ErrorResponder;
import com.fecify.gateway.error.GatewayException;
import com.fecify.gateway.error.Outcome;
import com.fecify.gateway.error.RequestIds;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * The answer to an update that waits for the store, written straight to the servlet response when the store's answer
 * arrives. Returning a {@code Mono} from the controller would do the same job with an async re-dispatch through
 * Tomcat, every filter, Spring Security and Spring MVC; measured cold on one core, that cost 56 to 100 % more CPU per
 * update (see {@code docs/async-answers.md}), so the gateway keeps this.
 *
 * <p>The request thread starts async mode and unwinds; filters may still touch the response (Spring Security writes
 * its headers) until it has left {@link LateAnswerFilter}, which stands outside them. So the answer is finished by
 * whichever comes second: the store's answer, or the request thread leaving that filter. Finishing is owned here, in
 * one place: the answer is written and flushed on a container thread (the request thread, or one taken with
 * {@link AsyncContext#start}, never the HTTP client's event loop), the audit record learns how it went (a caller that
 * went away is not a success), and the exchange is completed. Exactly one answer is written, whatever races: the
 * store's, the container's async timeout, or none when the caller went away.
 */
final class LateAnswer implements AsyncListener {

    private static final Logger log = LoggerFactory.getLogger(LateAnswer.class);
    private static final String ATTRIBUTE = LateAnswer.class.getName();

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final AsyncContext async;
    private final ErrorResponder responder;
    private final UpdateAudit audit;
    /** Two arrivals: the request thread leaving the filter, and an answer to write. */
    private final AtomicInteger arrivals = new AtomicInteger();

    private final AtomicBoolean answered = new AtomicBoolean();
    private final AtomicBoolean completed = new AtomicBoolean();
    private volatile @Nullable Answer answer;
    private volatile @Nullable Disposable call;
    private volatile boolean waitingForStore;
    private volatile boolean auditFirst;

    private LateAnswer(HttpServletRequest request, ErrorResponder responder, UpdateAudit audit, long timeoutMillis) {
        // the container's own request and response, not the filters' wrappers: the filters are done by the time the
        // answer is written
        this.async = request.startAsync();
        this.request = (HttpServletRequest) async.getRequest();
        this.response = (HttpServletResponse) async.getResponse();
        this.responder = responder;
        this.audit = audit;
        async.setTimeout(timeoutMillis);
        async.addListener(this);
    }

    /**
     * Puts the request in async mode; the answer comes later, from {@link #answerWith} or {@link #answerNow}. Until
     * then the container's timeout is {@code timeoutMillis}, answered {@code 408 request_timeout}: the caller has not
     * sent its body in time.
     */
    static LateAnswer start(
            HttpServletRequest request, ErrorResponder responder, UpdateAudit audit, long timeoutMillis) {
        LateAnswer late = new LateAnswer(request, responder, audit, timeoutMillis);
        request.setAttribute(ATTRIBUTE, late);
        return late;
    }

    /**
     * Answers with {@code call}'s outcome: its value as a JSON body with status 200, or its error as the usual problem
     * (or envelope); the container gives up after {@code timeoutMillis} with {@code 504 upstream_timeout}.
     */
    <T> void answerWith(Mono<T> call, Function<T, byte[]> jsonBody, long timeoutMillis) {
        waitingForStore = true;
        async.setTimeout(timeoutMillis);
        this.call = call.subscribe(
                value -> arrive(response -> writeJson(response, jsonBody.apply(value)), false), this::fail);
    }

    /** Answers with what is known without the store (a refusal, a dry run), from a container thread. */
    void answerNow(Answer ready) {
        arrive(ready, true, true);
    }

    /** Answers with {@code error}, from a container thread. */
    void refuse(GatewayException error) {
        answerNow(response -> responder.write(request, response, error));
    }

    /**
     * Answers with {@code error} from the container's error callback of a body read (timed out, cut short): written
     * and flushed there, so that the container, which answers a failed read with its own error page once the callback
     * returns, finds the answer already sent.
     */
    void refuseFailedRead(GatewayException error) {
        answerNow(response -> {
            Outcome written = responder.writeNow(request, response, error);
            response.flushBuffer();
            return written;
        });
    }

    /** Called by {@link LateAnswerFilter} once the request thread is done with the request. */
    static void requestThreadLeft(HttpServletRequest request) {
        if (request.getAttribute(ATTRIBUTE) instanceof LateAnswer late) {
            request.removeAttribute(ATTRIBUTE);
            if (late.arrivals.incrementAndGet() == 2) {
                late.finish();
            }
        }
    }

    private void fail(Throwable error) {
        arrive(response -> responder.writeNow(request, response, responder.answerFor(request, error)), false);
    }

    /** The answer is ready: finished now if the request thread has left, else by that thread as it leaves. */
    private void arrive(Answer ready, boolean onContainerThread) {
        arrive(ready, onContainerThread, false);
    }

    /**
     * @param auditFirst the answer was decided without the store (a refusal, a dry run): audited before it leaves,
     *     as a refusal on the request thread is; a store's answer is audited once it is known to have left
     */
    private void arrive(Answer ready, boolean onContainerThread, boolean auditFirst) {
        if (!answered.compareAndSet(false, true)) {
            return;
        }
        answer = ready;
        this.auditFirst = auditFirst;
        if (arrivals.incrementAndGet() == 2) {
            if (onContainerThread) {
                finish();
            } else {
                // off the HTTP client's event loop: writing to a slow caller must not hold it
                async.start(this::finish);
            }
        }
    }

    /** Writes the answer, learns whether it reached the caller, tells the audit record, completes. */
    private void finish() {
        Answer ready = answer;
        boolean delivered = false;
        Outcome outcome = null;
        try {
            if (ready != null && !auditFirst && CallerConnection.hasClosed(request)) {
                // the caller closed its connection while the store worked (a client timeout): nobody reads this
                // answer, and the audit says so, as nginx's 499 does
                log.debug("Caller closed its connection before the answer [request_id={}]", RequestIds.of(request));
            } else if (ready != null) {
                outcome = ready.write(response);
                if (outcome == null) {
                    // an error too late to write: the answer already on its way is what the caller gets
                    outcome = Outcome.ofStatus(response.getStatus());
                }
                if (!auditFirst) {
                    response.flushBuffer();
                }
                delivered = true;
            }
        } catch (IOException e) {
            // the caller went away; nothing left to tell it
            log.debug("Answer not written [request_id={}]: {}", RequestIds.of(request), e.toString());
        } catch (RuntimeException e) {
            GatewayException failure = responder.answerFor(request, e);
            outcome = failure.errorCode().outcome();
            delivered = writeError(failure);
        } finally {
            // a store's answer has left by now (flushed), so a caller that went away is known; an answer decided
            // without the store is still in the buffer, and leaves, with its length, as the exchange completes
            audit.answered(delivered && outcome != null ? outcome : Outcome.CLIENT_CLOSED);
            complete();
        }
    }

    private boolean writeError(GatewayException failure) {
        try {
            responder.writeNow(request, response, failure);
            response.flushBuffer();
            return true;
        } catch (IOException | RuntimeException e) {
            log.debug("Answer not written [request_id={}]: {}", RequestIds.of(request), e.toString());
            return false;
        }
    }

    private static Outcome writeJson(HttpServletResponse response, byte[] body) throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        return Outcome.SUCCESS;
    }

    /**
     * The container gave up waiting: for the caller's body (408), or for the store (a backstop: the store call has
     * its own, shorter timeout; 504). The call is cancelled and the caller told so.
     */
    @Override
    public void onTimeout(AsyncEvent event) {
        cancelCall();
        GatewayException late = waitingForStore
                ? new GatewayException(ErrorCode.UPSTREAM_TIMEOUT, "The store did not answer in time.")
                : new GatewayException(
                        ErrorCode.REQUEST_TIMEOUT,
                        "The body did not arrive in time ("
                                + event.getAsyncContext().getTimeout() + " ms).");
        arrive(response -> responder.writeNow(request, response, late), true);
    }

    /** The connection failed (the caller went away): stop waiting for the store. */
    @Override
    public void onError(AsyncEvent event) {
        cancelCall();
        if (answered.compareAndSet(false, true)) {
            audit.answered(Outcome.CLIENT_CLOSED);
        }
        // completed here, so that the container does not send its own error page over an answer being written
        complete();
    }

    private void complete() {
        if (completed.compareAndSet(false, true)) {
            async.complete();
        }
    }

    @Override
    public void onComplete(AsyncEvent event) {
        cancelCall();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not restarted
    }

    private void cancelCall() {
        Disposable running = call;
        if (running != null) {
            running.dispose();
        }
    }

    /** Writes an answer to the response, and says which (null: none, the response had left already). */
    @FunctionalInterface
    interface Answer {
        @Nullable
        Outcome write(HttpServletResponse response) throws IOException;
    }
}
