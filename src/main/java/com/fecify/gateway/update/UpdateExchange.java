package com.fecify.gateway.update;

import com.fecify.gateway.AsyncBody;
import com.fecify.gateway.Caller;
import com.fecify.gateway.CallerConnection;
import com.fecify.gateway.ExpectContinue;
import com.fecify.gateway.error.ErrorCode;
import com.fecify.gateway.error.ErrorResponder;
import com.fecify.gateway.error.GatewayException;
import com.fecify.gateway.error.Outcome;
import com.fecify.gateway.error.RequestIds;
import com.fecify.gateway.store.StoreClient;
import com.fecify.gateway.store.StoreReply;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one way an update travels, for every route (a batch's items take its second half, in {@code BatchUpdates}):
 * the caller, what the route checks before the body (a batch's place), the body, the route's answer (the fields, the
 * caller's permissions, then a dry run or the store), and how it ended, told once to the audit record, which writes
 * the audit line and counts the update.
 *
 * <p>Everything runs on the request thread and waits where it must: for the store, and for a batch's lines. Tomcat's
 * request threads are virtual where the JDK has them (JDK 21 and later, the image's JDK 25: {@code
 * spring.threads.virtual.enabled}), so a wait holds no platform thread; measured against the asynchronous answer the
 * gateway had before, cold on one core, it costs a third to a half less CPU per update (docs/async-answers.md). The one
 * wait that is never made on a thread is the caller's: a body that had not all arrived with its request is read as it
 * arrives ({@link AsyncBody}), and the request comes back here, dispatched again by the container, once it is whole.
 */
@Component
public class UpdateExchange {

    private static final Logger log = LoggerFactory.getLogger(UpdateExchange.class);
    private static final String ARRIVED = UpdateExchange.class.getName() + ".arrived";
    private static final int FIRST_READ = 8 * 1024;

    private final StoreClient store;
    private final ErrorResponder responder;
    private final JsonMapper jsonMapper;
    private final long bodyReadTimeoutMillis;

    UpdateExchange(StoreClient store, ErrorResponder responder, JsonMapper jsonMapper, RequestLimits limits) {
        this.store = store;
        this.responder = responder;
        this.jsonMapper = jsonMapper;
        this.bodyReadTimeoutMillis = limits.bodyReadTimeout().toMillis();
    }

    /**
     * A single update: {@code read} turns the body into the update (or refuses it), then it is answered as a dry run,
     * or sent to the store and answered with {@code success} of the store's reply (or the store's failure).
     */
    public void single(
            HttpServletRequest request,
            HttpServletResponse response,
            Reading read,
            Function<StoreReply, byte[]> success)
            throws IOException {
        handle(request, response, new UpdateRoute<>() {
            @Override
            public UpdateRoute.Admission admit(Caller caller) {
                return UpdateRoute.Admission.NONE;
            }

            @Override
            public Outcome answer(
                    HttpServletRequest request,
                    HttpServletResponse response,
                    Caller caller,
                    byte[] body,
                    UpdateRoute.Admission admission)
                    throws IOException {
                UpdateAudit audit = UpdateAudit.of(request);
                CustomerUpdate update = read.read(caller, body, audit);
                return audit.dryRun()
                        ? writeDryRun(response, jsonMapper.writeValueAsBytes(DryRun.answer(update)))
                        : send(request, response, caller, update, audit, success);
            }
        });
    }

    /**
     * Any update route: the caller bound by the security layer, the route's admission, the body (at hand, or read as
     * it arrives, after which the container calls the route again and this goes on where it left), the route's answer,
     * then the audit. A refusal on the way is written here, in the buffer: it leaves as the request ends, after its
     * audit line.
     */
    public <A extends UpdateRoute.Admission> void handle(
            HttpServletRequest request, HttpServletResponse response, UpdateRoute<A> route) throws IOException {
        UpdateAudit audit = UpdateAudit.of(request);
        @SuppressWarnings("unchecked")
        Arrived<A> arrived = (Arrived<A>) request.getAttribute(ARRIVED);
        request.removeAttribute(ARRIVED);
        A admission = null;
        Outcome outcome;
        try {
            Caller caller;
            byte[] body;
            if (arrived == null) {
                caller = caller(request);
                admission = route.admit(caller);
                Received received = received(request);
                if (!received.whole()) {
                    readAsItArrives(request, received.bytes(), caller, admission, audit);
                    // the admission goes with the body: given back by the dispatch that answers, or where it fails
                    admission = null;
                    return;
                }
                body = received.bytes();
            } else {
                caller = arrived.caller();
                admission = arrived.admission();
                body = arrived.body();
            }
            outcome = route.answer(request, response, caller, body, admission);
        } catch (GatewayException refused) {
            outcome = responder.write(request, response, refused);
        } catch (RuntimeException unforeseen) {
            // logged with its stack trace under the request id, answered internal_error, audited as such: also on
            // the dispatch of a late body, where no filter outside would audit it
            outcome = responder.write(request, response, responder.answerFor(request, unforeseen));
        } finally {
            if (admission != null) {
                admission.close();
            }
        }
        audit.answered(outcome != null ? outcome : Outcome.ofStatus(response.getStatus()));
    }

    /** Sends the update and waits for the store; its answer is flushed before it is audited. */
    private Outcome send(
            HttpServletRequest request,
            HttpServletResponse response,
            Caller caller,
            CustomerUpdate update,
            UpdateAudit audit,
            Function<StoreReply, byte[]> success)
            throws IOException {
        long start = System.nanoTime();
        StoreReply reply;
        try {
            // ends within fecify.response-timeout: StoreClient's own timeout, answered 504 upstream_timeout
            reply = store.updateCustomer(
                            update.customerId(), update.upstreamBody(), RequestIds.of(request), caller.id())
                    .block();
        } catch (RuntimeException failure) {
            GatewayException error = responder.answerFor(request, failure);
            return deliver(request, response, () -> responder.write(request, response, error));
        } finally {
            audit.upstreamNanos(System.nanoTime() - start);
        }
        if (reply == null) {
            return deliver(
                    request, response, () -> responder.write(request, response, GatewayException.internalError()));
        }
        return deliver(request, response, () -> writeSuccess(response, success.apply(reply)));
    }

    /**
     * Writes an answer that waited for the store, and sends it now: a caller that went away meanwhile (a client
     * timeout) reads nothing, and the audit says {@code client_closed}, as nginx's 499 does.
     */
    private static Outcome deliver(HttpServletRequest request, HttpServletResponse response, Answer answer) {
        if (CallerConnection.hasClosed(request)) {
            log.debug("Caller closed its connection before the answer [request_id={}]", RequestIds.of(request));
            return Outcome.CLIENT_CLOSED;
        }
        try {
            Outcome written = answer.write();
            response.flushBuffer();
            // null: an answer was on its way already, and it is what the caller got
            return written != null ? written : Outcome.ofStatus(response.getStatus());
        } catch (IOException e) {
            log.debug("Answer not written [request_id={}]: {}", RequestIds.of(request), e.toString());
            return Outcome.CLIENT_CLOSED;
        }
    }

    /** The store's answer, with its length: it is sent (flushed) at once, and audited once it has left. */
    private static Outcome writeSuccess(HttpServletResponse response, byte[] body) throws IOException {
        response.setContentLength(body.length);
        return writeOk(response, body, Outcome.SUCCESS);
    }

    /**
     * A dry run's answer, decided without the store: left in the buffer, without a length (which would send it at
     * once), so that it leaves as the request ends, after its audit line, as a refusal does.
     */
    private static Outcome writeDryRun(HttpServletResponse response, byte[] body) throws IOException {
        return writeOk(response, body, Outcome.DRY_RUN);
    }

    private static Outcome writeOk(HttpServletResponse response, byte[] body, Outcome outcome) throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getOutputStream().write(body);
        return outcome;
    }

    /** The body still arriving: read without a thread, then this request comes back with it, or ends where it fails. */
    private <A extends UpdateRoute.Admission> void readAsItArrives(
            HttpServletRequest request, byte[] start, Caller caller, A admission, UpdateAudit audit)
            throws IOException {
        AsyncBody.read(
                request,
                start,
                bodyReadTimeoutMillis,
                body -> request.setAttribute(ARRIVED, new Arrived<>(caller, admission, body)),
                new AsyncBody.Ending() {
                    @Override
                    public void refuse(GatewayException refusal, AsyncContext async) {
                        admission.close();
                        HttpServletRequest original = (HttpServletRequest) async.getRequest();
                        HttpServletResponse answer = (HttpServletResponse) async.getResponse();
                        audit.answered(deliver(original, answer, () -> responder.write(original, answer, refusal)));
                    }

                    @Override
                    public void callerLeft() {
                        admission.close();
                        audit.answered(Outcome.CLIENT_CLOSED);
                    }
                });
    }

    /**
     * What has arrived of the body, read without waiting: for nearly every update all of it (it came in the same
     * packets as the headers and is in the container's buffer). Reads only while the container has bytes at hand, so
     * never blocks; memory for what has arrived, not for what the caller announced (an announced megabyte that never
     * comes takes no megabyte). A chunked body is read as it arrives, whole.
     */
    static Received received(HttpServletRequest request) {
        int length = request.getContentLength();
        if (length == 0) {
            return new Received(new byte[0], true);
        }
        // the caller is known, within its rate and its size: a caller that waits for leave to send is given it now
        ExpectContinue.sendIfExpected(request);
        if (length < 0) {
            return new Received(new byte[0], false);
        }
        byte[] body = new byte[Math.min(length, FIRST_READ)];
        int read = 0;
        try {
            ServletInputStream in = request.getInputStream();
            while (read < length && in.available() > 0) {
                if (read == body.length) {
                    body = Arrays.copyOf(body, Math.min(length, body.length * 2));
                }
                int n = in.read(body, read, body.length - read);
                if (n < 0) {
                    break;
                }
                read += n;
            }
        } catch (IOException e) {
            throw AsyncBody.refusalFor(e);
        }
        return read == length ? new Received(body, true) : new Received(Arrays.copyOf(body, read), false);
    }

    /**
     * The body's bytes at hand.
     *
     * @param bytes what has arrived
     * @param whole whether that is the whole body
     */
    record Received(byte[] bytes, boolean whole) {}

    /** Bound by the security layer on every update route; deny by default should it ever be missing. */
    private static Caller caller(HttpServletRequest request) {
        Caller caller = Caller.of(request);
        if (caller == null) {
            throw new GatewayException(ErrorCode.FORBIDDEN, "The caller could not be identified.");
        }
        return caller;
    }

    /** Reads a single update's body: its fields and the caller's permissions; a refusal is thrown. */
    @FunctionalInterface
    public interface Reading {
        CustomerUpdate read(Caller caller, byte[] body, UpdateAudit audit);
    }

    @FunctionalInterface
    private interface Answer {
        @Nullable
        Outcome write() throws IOException;
    }

    /** A body that arrived after its request thread had left, with what the exchange knew then. */
    private record Arrived<A>(Caller caller, A admission, byte[] body) {}
}
