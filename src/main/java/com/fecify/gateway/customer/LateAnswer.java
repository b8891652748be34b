package com.fecify.gateway.customer;

import com.fecify.gateway.error.ErrorCode;
import com.fecify.gateway.error.ErrorResponder;
import com.fecify.gateway.error.GatewayException;
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
 * arrives. Returning a {@code Mono} from the controller would do the same job with an async re-dispatch: a second
 * pass through Tomcat, every filter, Spring Security and Spring MVC for each request (about 14 % of the gateway's
 * CPU per update in JFR, see {@code docs/late-answers.md}).
 *
 * <p>The request thread starts async mode and unwinds; filters may still touch the response (Spring Security writes
 * its headers) until it has left the outermost filter, {@link LateAnswerFilter}. So the answer is written by whichever
 * comes second: the store's answer, or the request thread leaving that filter. A fast store's answer is therefore
 * written on the request thread itself; a slow one's on the HTTP client's thread, with nothing left on the request side.
 * Exactly one answer is written, whatever races: the store's, the servlet container's async timeout, or none when the
 * caller went away.
 */
final class LateAnswer implements AsyncListener {

    private static final Logger log = LoggerFactory.getLogger(LateAnswer.class);
    private static final String ATTRIBUTE = LateAnswer.class.getName();

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final AsyncContext async;
    private final ErrorResponder responder;
    /** Two arrivals: the request thread leaving the outermost filter, and an answer to write. */
    private final AtomicInteger arrivals = new AtomicInteger();

    private final AtomicBoolean answered = new AtomicBoolean();
    private volatile @Nullable Answer answer;
    private volatile @Nullable Disposable call;

    private LateAnswer(HttpServletRequest request, ErrorResponder responder, long timeoutMillis) {
        // the container's own request and response, not the filters' wrappers: the filters are done by the time the
        // answer is written
        this.async = request.startAsync();
        this.request = (HttpServletRequest) async.getRequest();
        this.response = (HttpServletResponse) async.getResponse();
        this.responder = responder;
        async.setTimeout(timeoutMillis);
        async.addListener(this);
    }

    /**
     * Puts the request in async mode and answers it with {@code call}'s outcome: its value as a JSON body with status
     * 200, or its error as the usual problem (or envelope).
     */
    static <T> void answer(
            HttpServletRequest request,
            ErrorResponder responder,
            long timeoutMillis,
            Mono<T> call,
            Function<T, byte[]> jsonBody) {
        LateAnswer late = new LateAnswer(request, responder, timeoutMillis);
        request.setAttribute(ATTRIBUTE, late);
        late.call = call.subscribe(
                value -> late.arrive(response -> writeJson(response, jsonBody.apply(value))), late::fail);
    }

    /** Called by the outermost filter once the request thread is done with the request. */
    static void requestThreadLeft(HttpServletRequest request) {
        if (request.getAttribute(ATTRIBUTE) instanceof LateAnswer late) {
            request.removeAttribute(ATTRIBUTE);
            late.arrive();
        }
    }

    private void fail(Throwable error) {
        arrive(response -> responder.write(request, response, responder.answerFor(request, error)));
    }

    /** The answer is ready; it is written now if the request thread has left, or by that thread as it leaves. */
    private void arrive(Answer ready) {
        if (!answered.compareAndSet(false, true)) {
            return;
        }
        answer = ready;
        arrive();
    }

    private void arrive() {
        if (arrivals.incrementAndGet() == 2) {
            writeAndComplete();
        }
    }

    private void writeAndComplete() {
        Answer ready = answer;
        try {
            if (ready != null) {
                ready.write(response);
            }
        } catch (IOException e) {
            // the caller went away while the answer was being written; nothing left to tell it
            log.debug("Answer not written [request_id={}]: {}", RequestIds.of(request), e.toString());
        } catch (RuntimeException e) {
            writeError(e);
        } finally {
            async.complete();
        }
    }

    private void writeError(RuntimeException failure) {
        try {
            responder.write(request, response, responder.answerFor(request, failure));
        } catch (IOException | RuntimeException e) {
            log.debug("Answer not written [request_id={}]: {}", RequestIds.of(request), e.toString());
        }
    }

    private static void writeJson(HttpServletResponse response, byte[] body) throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("application/json");
        // no Content-Length here: with it, the container would send the answer at once, possibly on the HTTP client's
        // event loop; without it, the answer is sent (with its length) on completion, on a container thread
        response.getOutputStream().write(body);
    }

    /**
     * The container gave up waiting (a backstop: the store call has its own, shorter timeout). The call is cancelled
     * and the caller told so.
     */
    @Override
    public void onTimeout(AsyncEvent event) {
        cancelCall();
        arrive(response -> responder.write(
                request,
                response,
                new GatewayException(ErrorCode.UPSTREAM_TIMEOUT, "The store did not answer in time.")));
    }

    /** The connection failed (the caller went away): stop waiting for the store. */
    @Override
    public void onError(AsyncEvent event) {
        cancelCall();
        if (answered.compareAndSet(false, true)) {
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

    @FunctionalInterface
    private interface Answer {
        void write(HttpServletResponse response) throws IOException;
    }
}
